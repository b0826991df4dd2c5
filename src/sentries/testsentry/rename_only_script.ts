/**
 * The Python half of the removed-name check of the differential proof (removed_name.ts), run by python3 with
 * `ast` and `tokenize`. It reads {missing, projectNames, oldSources, newSources, files: [{path, before, after}],
 * testFile, test} on stdin and prints {removed, renames, problem}: which of the missing names the old source
 * defines at module level and the new source no longer does, and whether each given file differs from HEAD only
 * by renaming those names to names the new source defines (`problem` says where it does not); in the repaired
 * test's own module, another top-level test function it does not use may differ (its own proof judges it). Import statements may be added, removed or
 * rewritten when what they bind is such a name; any other token that changed (a literal, an operator, an
 * expected value, an extra or missing statement) is a problem.
 */
export const RENAME_ONLY_SCRIPT = String.raw`import ast, io, json, keyword, sys, tokenize

data = json.load(sys.stdin)


def parse(src):
    try:
        return ast.parse(src)
    except (SyntaxError, ValueError):
        return None


def module_level(body):
    # Statements that run at import time: the module body and the blocks of its if/try/with statements.
    for node in body:
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody"):
            yield from module_level(getattr(node, field, []))
        for handler in getattr(node, "handlers", []):
            yield from module_level(handler.body)


def targets(node):
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, (ast.Tuple, ast.List)):
        for element in node.elts:
            yield from targets(element)
    elif isinstance(node, ast.Starred):
        yield from targets(node.value)


def from_project(node):
    # A name the source binds by importing it from a library (from math import fsum) is not the project's.
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] in project
    return all(alias.name.split(".")[0] in project for alias in node.names)


def defined(src, classes=None):
    tree = parse(src)
    names = set()
    if tree is None:
        return names
    for node in module_level(tree.body):
        if isinstance(node, ast.ClassDef) and classes is not None:
            classes.add(node.name)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(targets(target))
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            names.update(targets(node.target))
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and from_project(node):
            names.update(bound for _, bound in bindings(node))
    return names


def bindings(node):
    # (what is imported, the name it is bound to)
    for alias in node.names:
        if isinstance(node, ast.Import):
            yield (("import", alias.name, alias.asname), alias.asname or alias.name.split(".")[0])
        else:
            yield (("from", "." * node.level + (node.module or ""), alias.name, alias.asname), alias.asname or alias.name)


def split_imports(src, tree):
    # The top-level import statements, and the source without them (a line shared with another statement
    # stays, so its import counts as code).
    import_lines, other_lines, imports = set(), set(), []
    for node in tree.body:
        lines = set(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            import_lines |= lines
        else:
            other_lines |= lines
    only_imports = import_lines - other_lines
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)) and node.lineno in only_imports:
            imports.extend(bindings(node))
    # Blank lines in their place keep the line numbers of the rest.
    kept = ["\n" if number in only_imports else line for number, line in enumerate(src.splitlines(True), 1)]
    return imports, "".join(kept)


SKIPPED = {tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}


def tokens(src):
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type in SKIPPED:
            continue
        # Indentation is structure, not a value: its width may change with nothing else.
        out.append((tok.type, "" if tok.type in (tokenize.INDENT, tokenize.DEDENT) else tok.string, tok.start[0]))
    return out


def is_name(value):
    return value.isidentifier() and not keyword.iskeyword(value)


def names_in(node):
    # Every name a statement uses: names, attributes, and a function's parameters (pytest fixtures by name).
    found = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            found.add(sub.attr)
        elif isinstance(sub, ast.arg):
            found.add(sub.arg)
    return found


def units(body):
    # The module's functions (a class's methods one by one) and its other statements, with the names each
    # binds; imports left out.
    for node in body:
        if isinstance(node, ast.ClassDef):
            yield from units(node.body)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield (node, {node.name})
        elif not isinstance(node, (ast.Import, ast.ImportFrom)):
            bound = set()
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    bound.add(sub.id)
            yield (node, bound)


def same_on_both_sides(old_tree, new_tree, renames):
    # The rename must not make the new name stand where the test already used it to get what it compares with:
    # the same function, a fixture or constant the function reads (both sides of == would be the same call),
    # nor a name the test module binds itself (a local total would shadow the project's).
    for node in ast.walk(new_tree):
        bound = None
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound = node.name
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound = node.id
        elif isinstance(node, ast.arg):
            bound = node.arg
        if bound is not None and bound in renames.values():
            return f"the new name {bound} is bound in the test module itself, not imported from the project"
    parts = [(names_in(node), bound) for node, bound in units(old_tree.body)]
    for old, new in renames.items():
        seen, tainted = True, set()
        while seen:
            seen = False
            for used, bound in parts:
                if (old in used or used & tainted) and not bound <= tainted:
                    tainted |= bound
                    seen = True
        for used, bound in parts:
            if new in used and (old in used or used & tainted):
                return f"{old} became {new}, which the same test already uses: both sides would be {new}"
    return None


def top_units(tree, src):
    # (name, text) of each top-level statement but imports; a function's decorators go with it.
    lines = src.splitlines(True)
    out = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        name = node.name if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else None
        out.append((name, node, "".join(lines[start - 1:node.end_lineno])))
    return out


def keeps_to_itself(node, module_bound):
    # A test function that can change what another test sees (a global it sets, a module-level name it reads and
    # could mutate) is not left to its own proof.
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Global, ast.Nonlocal)):
            return False
        if isinstance(sub, ast.Name) and sub.id in module_bound:
            return False
    return True


def compare_units(path, old_tree, new_tree, old_code, new_code, test, removed, available, renames):
    # Another test function of the module may change (its own proof judges it) when the repaired test neither
    # is it nor uses it; every other statement must differ only by the rename.
    old_units, new_units = top_units(old_tree, old_code), top_units(new_tree, new_code)
    if [u[0] for u in old_units] != [u[0] for u in new_units]:
        return f"{path}: statements were added, removed or reordered, not only names renamed"
    module_bound = set()
    for _, node, _ in old_units + new_units:
        module_bound |= {node.name} if hasattr(node, "name") else {
            sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store)
        }
    for index, ((name, node, old_text), (_, new_node, new_text)) in enumerate(zip(old_units, new_units)):
        others = set().union(*[names_in(u[1]) for i, u in enumerate(old_units) if i != index])
        if name and name != test and name.startswith("test") and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and name not in others and keeps_to_itself(new_node, module_bound - {name}):
            continue
        problem = compare_tokens(path, old_text, new_text, removed, available, renames)
        if problem:
            return problem
    return None


def compare(path, before, after, removed, available, renames, test=None):
    old_tree, new_tree = parse(before), parse(after)
    if old_tree is None or new_tree is None:
        return f"{path} does not parse"
    old_imports, old_code = split_imports(before, old_tree)
    new_imports, new_code = split_imports(after, new_tree)
    problem = compare_tokens(path, old_code, new_code, removed, available, renames)
    if problem and test:
        problem = compare_units(path, old_tree, new_tree, old_code, new_code, test, removed, available, renames)
    if problem:
        return problem
    return compare_imports(path, old_tree, new_tree, old_imports, new_imports, removed, available, renames)


def compare_tokens(path, old_code, new_code, removed, available, renames):
    try:
        old_tokens, new_tokens = tokens(old_code), tokens(new_code)
    except (tokenize.TokenError, SyntaxError) as e:
        return f"{path} cannot be tokenized: {e}"
    if len(old_tokens) != len(new_tokens):
        return f"{path}: statements or tokens were added or removed, not only names renamed"
    for (old_type, old_value, line), (new_type, new_value, _) in zip(old_tokens, new_tokens):
        if (old_type, old_value) == (new_type, new_value):
            continue
        if old_type != tokenize.NAME or new_type != tokenize.NAME or not is_name(old_value) or not is_name(new_value):
            return f"{path}: {old_value!r} became {new_value!r} (near line {line}), which is not a renamed name"
        if old_value not in removed:
            return f"{path}: {old_value} became {new_value} (near line {line}), but the change did not remove {old_value}"
        if new_value not in available:
            return f"{path}: {old_value} became {new_value}, which the new source does not define"
        if renames.setdefault(old_value, new_value) != new_value:
            return f"{path}: {old_value} became both {renames[old_value]} and {new_value}"
    return None


def compare_imports(path, old_tree, new_tree, old_imports, new_imports, removed, available, renames):
    gone = [b for b in old_imports if b not in new_imports]
    added = [b for b in new_imports if b not in old_imports]
    for what, bound in gone:
        if bound not in removed:
            return f"{path}: an import of {bound} was removed, which the change did not remove"
    # A new import binds the new name itself, from the module the removed name came from: not another module's
    # function bound to that name (from builtins import sum as total).
    sources = {what[1] for what, bound in gone if what[0] == "from" and bound in removed and what[2] == bound}
    for what, bound in added:
        if bound not in renames.values() or bound not in available:
            return f"{path}: an import of {bound} was added, which is not the new name of a removed one"
        if what[0] != "from" or what[2] != bound or what[1] not in sources:
            return f"{path}: {bound} is now imported from elsewhere or under another name, not renamed where the removed name came from"
    clash = same_on_both_sides(old_tree, new_tree, renames)
    if clash:
        return f"{path}: {clash}"
    # A removed function renamed to a class that an assert only constructs: an object is always true.
    for node in ast.walk(new_tree):
        if isinstance(node, ast.Assert) and isinstance(node.test, ast.Call):
            func = node.test.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if called in renames.values() and called in new_classes:
                return f"{path}: asserts a new {called}(…), which is always true"
    return None


project = set(data.get("projectNames", []))
old_defined = set().union(*[defined(s) for s in data["oldSources"]])
new_classes = set()
new_defined = set().union(*[defined(s, new_classes) for s in data["newSources"]])
removed = sorted(n for n in set(data["missing"]) if n in old_defined and n not in new_defined)
renames = {}
problem = None
if not removed:
    problem = "none of " + ", ".join(sorted(set(data["missing"]))) + " was removed by the change"
for f in data["files"]:
    if problem:
        break
    if f["before"] is None or f["after"] is None or not f["path"].endswith(".py"):
        problem = f"{f['path']} was added, deleted or is not Python"
    else:
        test = data.get("test") if f["path"] == data.get("testFile") else None
        problem = compare(f["path"], f["before"], f["after"], set(removed), new_defined, renames, test)
print(json.dumps({"removed": removed, "renames": renames, "problem": problem}))
`;
