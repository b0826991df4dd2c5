/**
 * Reads pytest's JUnit XML (`-o junit_family=xunit1`, which keeps the `file`
 * and `line` attributes) into test cases with pytest node ids. Pure.
 */
import { findAll, parseXml } from "./xml.ts";

export type CaseOutcome = "passed" | "failed" | "error" | "collection_error" | "skipped";

export interface JunitCase {
  nodeId: string;
  /** Repository-relative path of the test module, as pytest reports it. */
  file: string;
  /** 1-based line of the test's definition, when pytest reported one. */
  defLine?: number;
  outcome: CaseOutcome;
  /** pytest's one-line message (for collection errors: the `E` lines of the traceback). */
  message: string;
  /** pytest's long report: the traceback and the error. */
  detail: string;
  /** For a skipped case: pytest.xfail marks an expected failure (xfailed), anything else a skip. */
  xfail?: boolean;
}

/** Answers whether a repository-relative file exists; used only when pytest omitted the `file` attribute. */
export type FileExists = (relativePath: string) => boolean;

/** Parses a JUnit XML document; cases come back in document order, possibly with repeats (teardown errors). */
export function parseJunitCases(xml: string, fileExists: FileExists = () => false): JunitCase[] {
  const root = parseXml(xml);
  const testcases = root.name === "testcase" ? [root] : findAll(root, "testcase");
  return testcases.map((testcase) => {
    const classname = testcase.attributes.classname ?? "";
    const name = testcase.attributes.name ?? "";
    const { outcome, message, detail, xfail } = outcomeOf(testcase.children);
    const location = locate(classname, name, testcase.attributes.file, fileExists);
    const lineAttribute = testcase.attributes.line;
    // xunit1 writes pytest's 0-based location line.
    const defLine = lineAttribute !== undefined && /^\d+$/.test(lineAttribute) ? Number(lineAttribute) + 1 : undefined;
    return {
      ...location,
      defLine,
      outcome,
      message: outcome === "collection_error" ? errorLinesOf(detail) || message : message,
      detail,
      ...(xfail ? { xfail } : {}),
    };
  });
}

function outcomeOf(children: { name: string; attributes: Record<string, string>; text: string }[]) {
  const failure = children.find((c) => c.name === "failure");
  const error = children.find((c) => c.name === "error");
  const skipped = children.find((c) => c.name === "skipped");
  if (error && error.attributes.message === "collection failure") {
    return { outcome: "collection_error" as const, message: error.attributes.message, detail: error.text };
  }
  if (failure) return { outcome: "failed" as const, message: failure.attributes.message ?? "", detail: failure.text };
  if (error) return { outcome: "error" as const, message: error.attributes.message ?? "", detail: error.text };
  if (skipped) {
    const xfail = skipped.attributes.type === "pytest.xfail";
    return { outcome: "skipped" as const, message: skipped.attributes.message ?? "", detail: skipped.text, xfail };
  }
  return { outcome: "passed" as const, message: "", detail: "" };
}

/**
 * pytest's JUnit writer turns node id `tests/test_a.py::TestK::test_p[2]` into
 * classname `tests.test_a.TestK` and name `test_p[2]`; a collection error has an
 * empty classname and the dotted module as its name. Undo that.
 */
function locate(
  classname: string,
  name: string,
  fileAttribute: string | undefined,
  fileExists: FileExists,
): { nodeId: string; file: string } {
  if (classname === "") {
    const file = fileAttribute ?? name.replaceAll(".", "/") + ".py";
    return { nodeId: file, file };
  }
  const parts = classname.split(".");
  let moduleParts = -1;
  if (fileAttribute !== undefined) {
    const dotted = fileAttribute.replace(/\.py$/, "").replaceAll("/", ".");
    if (classname === dotted) moduleParts = parts.length;
    else if (classname.startsWith(dotted + ".")) moduleParts = dotted.split(".").length;
  }
  if (moduleParts === -1) {
    // Longest prefix that names an existing module file; else assume the whole classname is the module.
    moduleParts = parts.length;
    for (let k = parts.length; k > 0; k--) {
      if (fileExists(parts.slice(0, k).join("/") + ".py")) {
        moduleParts = k;
        break;
      }
    }
  }
  const file = fileAttribute ?? parts.slice(0, moduleParts).join("/") + ".py";
  const nodeId = [file, ...parts.slice(moduleParts), name].join("::");
  return { nodeId, file };
}

/** The `E   ...` lines of a pytest report, without the marker; the most useful one-line summary. */
export function errorLinesOf(detail: string): string {
  return detail
    .split("\n")
    .filter((line) => /^E\s/.test(line))
    .map((line) => line.replace(/^E\s+/, ""))
    .join("\n")
    .trim();
}
