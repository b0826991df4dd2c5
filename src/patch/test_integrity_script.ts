/**
 * The Python half of the test-integrity guard, run by the target repository's python3 with `ast`
 * (see guard_test_integrity.ts). It reads {project, files: [{path, before, after}]} on stdin and
 * prints [{path, code, detail}]: what the patch adds (pytest hooks, skips, patches of the project's
 * own code) and, per changed function, assertions made weaker in form. Names are resolved through
 * imports and simple aliases (`import pytest as pt`, `from os import _exit as e`, `getattr(x, "y")`,
 * `sys.modules["m"]`), so renaming a thing does not hide it. Runs with the repository as its working
 * directory to tell the project's own definitions from the external modules it imports.
 */
export const TEST_INTEGRITY_SCRIPT = String.raw`import ast, json, os, sys

data = json.load(sys.stdin)
PROJECT = set(data["project"])
SKIP_REFS = {"pytest.mark.skip", "pytest.mark.skipif", "pytest.mark.xfail", "pytest.skip", "pytest.xfail",
             "pytest.importorskip", "pytest.skip.Exception", "unittest.skip", "unittest.skipIf", "unittest.skipUnless",
             "unittest.expectedFailure", "unittest.SkipTest", "unittest.case.SkipTest", "_pytest.outcomes.Skipped"}
EXIT_CALLS = {"os._exit", "os.abort", "os.kill", "os.killpg", "pytest.exit", "atexit.register", "signal.signal"}
MODULE_EXIT = {"sys.exit", "exit", "quit", "builtins.exit"}
STRONG_OPS = (ast.Eq, ast.Is, ast.In)
WEAK_OPS = {ast.NotEq: "!=", ast.IsNot: "is not", ast.NotIn: "not in", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
            ast.GtE: ">="}
STRONG_CALLS = {"assertEqual", "assertEquals", "assertListEqual", "assertDictEqual", "assertTupleEqual",
                "assertSetEqual", "assertSequenceEqual", "assertMultiLineEqual", "assertCountEqual", "assertIs",
                "assertIsNone", "assertIn", "assertRaises", "assertRaisesRegex", "assertRegex", "assertAlmostEqual",
                "assert_called_once_with", "assert_called_with", "assert_any_call", "assert_has_calls",
                "assert_frame_equal", "assert_series_equal", "assert_array_equal", "assert_allclose",
                "assert_equal", "assert_almost_equal"}
WEAK_CALLS = {"assertNotEqual", "assertNotEquals", "assertIsNot", "assertIsNotNone", "assertNotIn", "assertTrue",
              "assertFalse", "assertIsInstance", "assertGreater", "assertGreaterEqual", "assertLess",
              "assertLessEqual", "assertNotAlmostEqual", "assert_called", "assert_called_once", "assertNotRegex"}
SWALLOWING = {"AssertionError", "Exception", "BaseException", "builtins.AssertionError", "builtins.Exception",
              "builtins.BaseException"}


def parse(src):
    try:
        return ast.parse(src)
    except (SyntaxError, ValueError):
        return None


class Names:
    """What each name in a module stands for: imports, and simple aliases of imported things."""

    def __init__(self, tree):
        self.map = {}
        self.project_imports = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname:
                        self.map[a.asname] = a.name
                    else:
                        root = a.name.split(".")[0]
                        self.map[root] = root
                    bound = a.asname or a.name.split(".")[0]
                    if a.name.split(".")[0] in PROJECT:
                        self.project_imports[bound] = a.asname and a.name or bound
            elif isinstance(node, ast.ImportFrom):
                mod = ("." * node.level) + (node.module or "")
                for a in node.names:
                    full = mod + "." + a.name if mod else a.name
                    self.map[a.asname or a.name] = full
                    if node.level == 0 and (node.module or "").split(".")[0] in PROJECT:
                        self.project_imports[a.asname or a.name] = full
        for _ in range(2):
            for node in ast.walk(tree):
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    name = node.targets[0].id
                    if name in self.project_imports:
                        continue
                    value = self.resolve(node.value)
                    if value and value.split(".")[0] != name and value.split(".")[0] in self.known_roots():
                        self.map[name] = value

    def known_roots(self):
        return {v.split(".")[0] for v in self.map.values()} | {"sys", "os", "pytest", "builtins"}

    def resolve(self, node):
        if isinstance(node, ast.Name):
            return self.map.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            return base + "." + node.attr if base else None
        if isinstance(node, ast.Call):
            fn = self.resolve(node.func)
            first = const_str(node.args[0]) if node.args else None
            if fn in ("getattr", "builtins.getattr") and len(node.args) >= 2:
                base = self.resolve(node.args[0])
                attr = const_str(node.args[1])
                return base + "." + attr if base and attr else None
            if fn in ("__import__", "importlib.import_module", "importlib.__import__") and first:
                return first
            return None
        if isinstance(node, ast.Subscript):
            index = node.slice
            if isinstance(index, getattr(ast, "Index", ())):
                index = index.value
            key = const_str(index)
            container = node.value
            if self.resolve(container) == "sys.modules":
                return key
            # vars(m)["f"], m.__dict__["f"] and globals()["f"] reach the same names as m.f and f.
            if key and isinstance(container, ast.Call) and not container.args and self.resolve(container.func) == "globals":
                return self.resolve(ast.Name(id=key, ctx=ast.Load()))
            if key and isinstance(container, ast.Call) and len(container.args) == 1 and self.resolve(container.func) == "vars":
                base = self.resolve(container.args[0])
                return base + "." + key if base else None
            if key and isinstance(container, ast.Attribute) and container.attr == "__dict__":
                base = self.resolve(container.value)
                return base + "." + key if base else None
        return None


def const_str(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def is_project(dotted):
    return bool(dotted) and dotted.split(".")[0] in PROJECT


_module_cache = {}


def module_tree(dotted):
    if dotted in _module_cache:
        return _module_cache[dotted]
    tree = None
    rel = dotted.replace(".", "/")
    for base in ("src", "."):
        for candidate in (os.path.join(base, rel + ".py"), os.path.join(base, rel, "__init__.py")):
            if os.path.isfile(candidate):
                try:
                    with open(candidate, encoding="utf-8") as f:
                        tree = parse(f.read())
                except OSError:
                    tree = None
                break
        if tree is not None:
            break
    _module_cache[dotted] = tree
    return tree


def project_defined(dotted):
    """Whether the thing a dotted path names is the project's own code (not an external module it imports)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        tree = module_tree(".".join(parts[:cut]))
        if tree is None:
            continue
        if cut == len(parts):
            return True
        attr = parts[cut]
        for node in tree.body:
            if isinstance(node, ast.Import):
                for a in node.names:
                    if (a.asname or a.name.split(".")[0]) == attr:
                        return a.name.split(".")[0] in PROJECT
            elif isinstance(node, ast.ImportFrom):
                for a in node.names:
                    if (a.asname or a.name) == attr:
                        return node.level > 0 or (node.module or "").split(".")[0] in PROJECT
        return True
    return True


def literal_number(node):
    try:
        value = ast.literal_eval(node)
    except Exception:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float" and node.args:
            try:
                return float(ast.literal_eval(node.args[0]))
            except Exception:
                return None
        return None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


# ---------------------------------------------------------------- hooks, skips, project patching (whole module)

def project_instances(tree, names):
    """Names bound to an object the project's code made (cart = Cart()), by what made it."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            ref = names.resolve(node.value.func)
            if is_project(ref):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        found[t.id] = ref
    return found


def replaces_behaviour(value, local_functions, names):
    """A stand-in for code: a lambda, a function of the test module, or a mock."""
    if isinstance(value, ast.Lambda):
        return True
    if isinstance(value, ast.Name) and value.id in local_functions:
        return True
    if isinstance(value, ast.Call):
        last = (names.resolve(value.func) or "").split(".")[-1]
        return last in ("Mock", "MagicMock", "AsyncMock", "NonCallableMock", "create_autospec", "PropertyMock")
    return False


def instance_patches(tree, names):
    """Behaviour of a project object replaced on the instance: cart.total = lambda: 4, setattr(cart, "total", f)."""
    instances = project_instances(tree, names)
    if not instances:
        return []
    local_functions = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    found = []
    for node in ast.walk(tree):
        pairs = []
        if isinstance(node, ast.Assign):
            pairs = [(t.value, t.attr, node.value) for t in node.targets if isinstance(t, ast.Attribute)]
        elif isinstance(node, ast.Call) and len(node.args) >= 3 and const_str(node.args[1]):
            last = (names.resolve(node.func) or "").split(".")[-1]
            if last == "setattr":
                pairs = [(node.args[0], const_str(node.args[1]), node.args[2])]
        elif isinstance(node, ast.Call) and len(node.args) >= 2 and const_str(node.args[1]):
            last = (names.resolve(node.func) or "").split(".")
            if last[-2:] == ["patch", "object"]:
                pairs = [(node.args[0], const_str(node.args[1]), node.args[2] if len(node.args) > 2 else ast.Call(
                    func=ast.Name(id="MagicMock", ctx=ast.Load()), args=[], keywords=[]))]
        for obj, attr, value in pairs:
            if isinstance(obj, ast.Name) and obj.id in instances and replaces_behaviour(value, local_functions, names):
                found.append("replaces " + attr + " on a " + instances[obj.id] + " object")
    return found


def module_signatures(tree, names):
    hooks, skips, patches = [], [], []
    module_level = set(id(n) for n in tree.body)
    patches.extend(instance_patches(tree, names))
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name.startswith("pytest_"):
                hooks.append("the hook function " + node.name)
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                ref = names.resolve(target) or ""
                if ref.endswith("hookimpl") or ref.endswith("hookspec"):
                    hooks.append("@" + ref)
        if isinstance(node, ast.keyword) and node.arg in ("hookwrapper", "wrapper"):
            hooks.append(node.arg + "=")
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for leaf in ast.walk(t):
                    if isinstance(leaf, ast.Name) and leaf.id == "pytest_plugins":
                        hooks.append("pytest_plugins")
                    if isinstance(leaf, ast.Name) and leaf.id in ("collect_ignore", "collect_ignore_glob",
                                                                   "pytestmark", "__test__"):
                        skips.append(leaf.id)
        if isinstance(node, ast.Raise) and id(node) in module_level:
            hooks.append("raise at import time")
        if isinstance(node, (ast.Attribute, ast.Name, ast.Call)):
            ref = names.resolve(node) or ""
            if ref in SKIP_REFS:
                skips.append(ref)
            if ref.startswith("_pytest."):
                hooks.append(ref)
            if isinstance(node, ast.Attribute) and node.attr == "pluginmanager":
                hooks.append("pluginmanager")
        if isinstance(node, ast.Call):
            fn = names.resolve(node.func) or ""
            last = fn.split(".")[-1]
            if fn in EXIT_CALLS:
                hooks.append(fn + "()")
            if last in ("skipTest", "add_marker", "applymarker"):
                skips.append(last + "()")
            patches.extend(patched_targets(node, fn, last, names))
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for t in targets:
                for leaf in ast.walk(t):
                    if isinstance(leaf, (ast.Attribute, ast.Subscript)):
                        ref = names.resolve(leaf)
                        if is_project(ref) and project_defined(ref):
                            patches.append("replaces " + ref)
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            if (names.resolve(node.value.func) or "") in MODULE_EXIT:
                hooks.append("exit at import time")
    patches.extend(redefinitions(tree, names))
    return hooks, skips, patches


def patched_targets(node, fn, last, names):
    found = []
    args = node.args
    target = None
    if fn in ("setattr", "delattr", "builtins.setattr") and len(args) >= 2:
        base, attr = names.resolve(args[0]), const_str(args[1])
        target = base + "." + attr if base and attr else None
    elif last in ("setattr", "delattr") and args:
        if const_str(args[0]):
            target = const_str(args[0])
        elif len(args) >= 2 and const_str(args[1]):
            base = names.resolve(args[0])
            target = base + "." + const_str(args[1]) if base else None
    elif last in ("setitem", "delitem") and len(args) >= 2 and names.resolve(args[0]) == "sys.modules":
        if is_project(const_str(args[1])):
            return ["replaces the module " + const_str(args[1])]
    elif last == "patch" and args and const_str(args[0]):
        target = const_str(args[0])
    elif last == "object" and fn.split(".")[-2:-1] == ["patch"] and len(args) >= 2:
        base, attr = names.resolve(args[0]), const_str(args[1])
        target = base + "." + attr if base and attr else None
    elif last == "multiple" and args:
        base = const_str(args[0]) or names.resolve(args[0])
        for kw in node.keywords:
            if base and kw.arg and is_project(base + "." + kw.arg) and project_defined(base + "." + kw.arg):
                found.append("patches " + base + "." + kw.arg)
    elif last in ("update", "setdefault") and names.resolve(node.func.value if isinstance(node.func, ast.Attribute) else node.func) == "sys.modules":
        found.append("changes sys.modules")
    elif last == "dict" and fn.split(".")[-2:-1] == ["patch"] and args and names.resolve(args[0]) == "sys.modules":
        found.append("patches sys.modules")
    if target and is_project(target) and project_defined(target):
        found.append("patches " + target)
    return found


def bound_names(node):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    targets = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
        targets = [node.target]
    elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        targets = [node.target]
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        targets = [node.optional_vars]
    elif isinstance(node, ast.ExceptHandler) and node.name:
        return [node.name]
    out = []
    for t in targets:
        for leaf in ast.walk(t):
            if isinstance(leaf, ast.Name) and isinstance(leaf.ctx, ast.Store):
                out.append(leaf.id)
    return out


def redefinitions(tree, names):
    found = []
    for node in ast.walk(tree):
        for name in bound_names(node):
            if name in names.project_imports:
                found.append("redefines " + name + " (the project's " + names.project_imports[name] + ")")
        if isinstance(node, (ast.Import, ast.ImportFrom)) and not (
                isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] in PROJECT):
            for a in node.names:
                bound = a.asname or a.name.split(".")[0]
                if bound in names.project_imports and not (isinstance(node, ast.Import) and a.name.split(".")[0] in PROJECT):
                    found.append("redefines " + bound + " (the project's " + names.project_imports[bound] + ")")
    return found


# ---------------------------------------------------------------- assertions, per function

class Profile:
    def __init__(self):
        self.strong = 0
        self.weak = []
        self.dead = 0
        self.swallowed = 0
        self.wildcard = 0
        self.tautology = 0
        self.self_computed = 0
        self.tolerance = 0.0


def always_equal_classes(tree):
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name in ("__eq__", "__ne__"):
                    returns = [n for n in ast.walk(item) if isinstance(n, ast.Return)]
                    if returns and all(isinstance(r.value, ast.Constant) for r in returns):
                        found.add(node.name)
                elif isinstance(item, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id in ("__eq__", "__ne__") for t in item.targets):
                    found.add(node.name)
    return found


def static_truth(node):
    try:
        return bool(ast.literal_eval(node))
    except Exception:
        pass
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = static_truth(node.operand)
        return None if inner is None else not inner
    if isinstance(node, ast.Name) and node.id == "__debug__":
        return None
    return None


class FunctionReader:
    def __init__(self, names, always_equal):
        self.names = names
        self.always_equal = always_equal

    def read(self, fn):
        self.p = Profile()
        self.assigned = {}
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        self.assigned[t.id] = self.callees(node.value, follow=False)
            if isinstance(node, ast.Call):
                self.tolerance(node)
        self.called = {n.func.id for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
        self.walk(fn.body, False, False)
        return self.p

    def callees(self, node, follow=True):
        out = set()
        for n in ast.walk(node):
            if isinstance(n, ast.Call):
                ref = self.names.resolve(n.func)
                if ref and (is_project(ref) or (isinstance(n.func, ast.Name) and n.func.id in self.names.project_imports)):
                    out.add(ref)
            if follow and isinstance(n, ast.Name) and n.id in self.assigned:
                out |= self.assigned[n.id]
        return out

    def tolerance(self, call):
        ref = self.names.resolve(call.func) or ""
        last = ref.split(".")[-1]
        values = []
        kws = {k.arg: k.value for k in call.keywords if k.arg}
        if last == "approx":
            values = [kws.get("rel"), kws.get("abs")] + list(call.args[1:3])
        elif last == "isclose":
            values = [kws.get("rel_tol"), kws.get("abs_tol"), kws.get("rtol"), kws.get("atol")] + list(call.args[2:4])
        elif last in ("allclose", "assert_allclose"):
            values = [kws.get("rtol"), kws.get("atol")] + list(call.args[2:4])
        elif last in ("assertAlmostEqual", "assert_almost_equal"):
            values = [kws.get("delta")]
            places = kws.get("places") or kws.get("decimal")
            if places is not None and literal_number(places) is not None:
                self.p.tolerance = max(self.p.tolerance, 10.0 ** -literal_number(places))
        for v in values:
            number = literal_number(v) if v is not None else None
            if number is not None:
                self.p.tolerance = max(self.p.tolerance, abs(number))

    def wildcard(self, node):
        ref = self.names.resolve(node) or ""
        if isinstance(node, ast.Constant) and node.value is Ellipsis:
            return True
        if ref.split(".")[-1] == "ANY":
            return True
        if isinstance(node, ast.Call):
            fn = self.names.resolve(node.func) or ""
            if fn.split(".")[-1] in self.always_equal or fn.split(".")[-1] in ("ANY", "Anything", "AnyValue"):
                return True
        return False

    def compare(self, left, right, op_strong, weak_label, dead, swallowed):
        p = self.p
        if dead:
            p.dead += 1
            return
        if swallowed:
            p.swallowed += 1
            return
        if ast.dump(left) == ast.dump(right):
            p.tautology += 1
        elif self.wildcard(left) or self.wildcard(right):
            p.wildcard += 1
        elif self.callees(left) & self.callees(right):
            p.self_computed += 1
        elif op_strong:
            p.strong += 1
        else:
            p.weak.append(weak_label)

    def record(self, test, dead, swallowed):
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            op = test.ops[0]
            right = test.comparators[0]
            if isinstance(op, ast.IsNot) and isinstance(right, ast.Constant) and right.value is None:
                return self.compare(test.left, right, False, "is not None", dead, swallowed)
            label = WEAK_OPS.get(type(op))
            return self.compare(test.left, right, isinstance(op, STRONG_OPS), label or "?", dead, swallowed)
        if dead:
            self.p.dead += 1
        elif swallowed:
            self.p.swallowed += 1
        elif isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            self.p.weak.append("not")
        elif isinstance(test, ast.Call) and (self.names.resolve(test.func) or "") in ("isinstance", "callable", "hasattr", "bool", "len"):
            self.p.weak.append(self.names.resolve(test.func) + "()")
        elif isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or):
            self.p.weak.append("or")
        elif isinstance(test, ast.Constant):
            pass
        elif isinstance(test, ast.BoolOp):
            self.p.strong += 1
        else:
            self.p.weak.append("a bare truth test")

    def call_assert(self, call, dead, swallowed):
        fn = self.names.resolve(call.func) or ""
        last = fn.split(".")[-1]
        if last in STRONG_CALLS or last in WEAK_CALLS:
            if len(call.args) >= 2 and last in STRONG_CALLS:
                return self.compare(call.args[0], call.args[1], True, last, dead, swallowed)
            if dead:
                self.p.dead += 1
            elif swallowed:
                self.p.swallowed += 1
            elif last in STRONG_CALLS:
                self.p.strong += 1
            else:
                self.p.weak.append(last + "()")

    def swallows(self, handler):
        if any(isinstance(n, ast.Raise) for n in ast.walk(handler)):
            return False
        if handler.type is None:
            return True
        types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        return any((self.names.resolve(t) or "") in SWALLOWING for t in types)

    def context_swallows(self, item):
        expr = item.context_expr
        if not isinstance(expr, ast.Call):
            return False
        fn = self.names.resolve(expr.func) or ""
        last = fn.split(".")[-1]
        types = [self.names.resolve(a) or "" for a in expr.args]
        if isinstance(expr.args[0] if expr.args else None, ast.Tuple):
            types = [self.names.resolve(e) or "" for e in expr.args[0].elts]
        if last == "suppress":
            return any(t in SWALLOWING for t in types) or not types
        if last in ("raises", "assertRaises"):
            return any(t in SWALLOWING for t in types)
        return False

    def walk(self, stmts, dead, swallowed):
        ended = False
        for st in stmts:
            d = dead or ended
            if isinstance(st, ast.Assert):
                self.record(st.test, d, swallowed)
            elif isinstance(st, ast.Expr) and isinstance(st.value, ast.Call):
                self.call_assert(st.value, d, swallowed)
                fn = self.names.resolve(st.value.func) or ""
                if fn in ("pytest.skip", "pytest.exit", "pytest.xfail", "pytest.fail", "sys.exit", "os._exit"):
                    ended = True
            elif isinstance(st, (ast.If, ast.While)):
                truth = static_truth(st.test)
                self.walk(st.body, d or truth is False, swallowed)
                self.walk(st.orelse, d or truth is True, swallowed)
            elif isinstance(st, (ast.For, ast.AsyncFor)):
                empty = isinstance(st.iter, (ast.List, ast.Tuple, ast.Set, ast.Dict)) and not (
                    st.iter.keys if isinstance(st.iter, ast.Dict) else st.iter.elts)
                self.walk(st.body, d or empty, swallowed)
                self.walk(st.orelse, d, swallowed)
            elif isinstance(st, ast.Try) or st.__class__.__name__ == "TryStar":
                caught = any(self.swallows(h) for h in st.handlers)
                self.walk(st.body, d, swallowed or caught)
                for h in st.handlers:
                    self.walk(h.body, d, swallowed)
                self.walk(st.orelse, d, swallowed or caught)
                self.walk(st.finalbody, d, swallowed)
            elif isinstance(st, (ast.With, ast.AsyncWith)):
                inner = swallowed or any(self.context_swallows(i) for i in st.items)
                for item in st.items:
                    if isinstance(item.context_expr, ast.Call) and not d and not inner:
                        last = (self.names.resolve(item.context_expr.func) or "").split(".")[-1]
                        if last in ("raises", "warns", "deprecated_call", "assertRaises", "assertRaisesRegex", "assertWarns"):
                            self.p.strong += 1
                self.walk(st.body, d, inner)
            elif isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.walk(st.body, d or st.name not in self.called, swallowed)
            elif isinstance(st, getattr(ast, "Match", ())):
                for case in st.cases:
                    self.walk(case.body, d, swallowed)
            if isinstance(st, (ast.Return, ast.Raise, ast.Continue, ast.Break)):
                ended = True


def functions(tree):
    out = {}

    def visit(body, prefix):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.setdefault(prefix + node.name, node)
            elif isinstance(node, ast.ClassDef):
                visit(node.body, prefix + node.name + ".")
    visit(tree.body, "")
    return out


def compare_functions(before, after, names_before, names_after):
    problems = []
    old_fns, new_fns = functions(before), functions(after)
    read_old = FunctionReader(names_before, always_equal_classes(before))
    read_new = FunctionReader(names_after, always_equal_classes(after))
    for qual, new in new_fns.items():
        old = old_fns.get(qual)
        if old is None or ast.dump(old) == ast.dump(new):
            continue
        was, now = read_old.read(old), read_new.read(new)

        def add(code, message):
            problems.append({"code": code, "message": qual + " " + message})
        if now.dead > was.dead:
            add("weaken.dead_assert", "gains an assertion that never runs (under 'if False:', after 'return', or in a function nothing calls); keep every assertion live")
        if now.swallowed > was.swallowed:
            add("weaken.swallowed_assert", "gains an assertion whose failure is swallowed (try/except AssertionError or Exception, contextlib.suppress, pytest.raises(AssertionError)); let it fail")
        if now.wildcard > was.wildcard:
            add("weaken.wildcard", "compares with a wildcard (mock.ANY, '...', an always-equal object) where it checked a value; keep the expected value exact")
        if now.tautology > was.tautology:
            add("weaken.tautology", "compares a value with itself, which is always true; compare with the expected value")
        if now.self_computed > was.self_computed:
            add("weaken.self_computed", "computes the expected value by calling the code under test; write the expected value out")
        if now.tolerance > was.tolerance:
            add("weaken.tolerance", "loosens a tolerance (%g, was %g); keep the tolerance or fix the code" % (now.tolerance, was.tolerance))
        if now.strong < was.strong and len(now.weak) > len(was.weak):
            extra = [w for w in now.weak]
            for w in was.weak:
                if w in extra:
                    extra.remove(w)
            add("weaken.assert_loosened", "turns an exact check into a weaker one (%s); assert the exact new value" % ", ".join(sorted(set(extra)) or ["?"]))
    return problems


def duplicate_tests(tree):
    """Tests bound twice in one scope: the later binding replaces the earlier test, which never runs."""
    found = []

    def visit(body, prefix):
        seen = set()
        for node in body:
            names = bound_names(node) if not isinstance(node, (ast.Import, ast.ImportFrom)) else []
            for name in names:
                if name.startswith("test") or name.startswith("Test"):
                    if name in seen:
                        found.append(prefix + name)
                    seen.add(name)
            if isinstance(node, ast.ClassDef):
                visit(node.body, prefix + node.name + ".")
    visit(tree.body, "")
    return found


def added(old, new):
    rest = list(old)
    out = []
    for item in new:
        if item in rest:
            rest.remove(item)
        else:
            out.append(item)
    return out


results = []
for f in data["files"]:
    after = parse(f["after"])
    if after is None:
        continue
    before = parse(f["before"]) if f["before"] is not None else ast.parse("")
    if before is None:
        before = ast.parse("")
    names_before, names_after = Names(before), Names(after)
    hb, sb, pb = module_signatures(before, names_before)
    ha, sa, pa = module_signatures(after, names_after)
    path = f["path"]
    for code, old, new in (("weaken.pytest_hook", hb, ha), ("weaken.skip_marker", sb, sa), ("weaken.patch_project", pb, pa)):
        extra = sorted(set(added(old, new)))
        if extra:
            results.append({"path": path, "code": code, "detail": ", ".join(extra)})
    for name in sorted(set(added(duplicate_tests(before), duplicate_tests(after)))):
        results.append({"path": path, "code": "weaken.test_shadowed", "detail": name + " is defined a second time, which replaces the first definition so it never runs; change the test in place"})
    for p in compare_functions(before, after, names_before, names_after):
        results.append({"path": path, "code": p["code"], "detail": p["message"]})
print(json.dumps(results))
`;
