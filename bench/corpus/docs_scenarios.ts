/**
 * Docs scenarios: one small CLI/web project with README, CHANGELOG, openapi.yaml and docs/ pages
 * (plus filler pages, so choosing sections matters); each scenario is one change on a `feature` branch.
 */
import { fillerDoc, fillerFunctions, pythonModule } from "./filler.ts";
import type { DocsScenarioSpec, FileMap, ModelKnowledge, RepoCommit } from "./types.ts";

const CLI = (outDir = "--out-dir", retries = "3", extra = "") =>
  `import argparse\nimport os\n\n\ndef parser():\n    p = argparse.ArgumentParser(prog="tool")\n` +
  `    p.add_argument("${outDir}", default="build")\n    p.add_argument("--retries", default=${retries})\n` +
  `${extra || '    p.add_argument("--verbose", action="store_true")\n'}    return p\n\n\n` +
  `def cache_dir():\n    return os.environ.get("TOOL_HOME", "~/.tool")\n`;

const SERVER = (withDelete: boolean) =>
  `from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/items")\ndef list_items():\n    return []\n` +
  (withDelete
    ? `\n\n@app.delete("/items/{item_id}")\ndef delete_item(item_id: int):\n    return {"deleted": item_id}\n`
    : "");

const API = (name: string) =>
  pythonModule(
    "The reporting API.",
    `def ${name}(name):\n    """Fetch the named report."""\n    return {"report": name}`,
    [
      ...fillerFunctions("api", 15, 40),
    ],
  );

const LOADER = pythonModule(
  "Reads input files.",
  "def load(path):\n    with open(path) as f:\n        return f.read()",
  [
    ...fillerFunctions("loader", 10, 41),
  ],
);

const README =
  "# tool\n\nA small tool that builds reports. See [configuration](docs/configuration.md) for settings and\n" +
  "[the guide](docs/guide.md) for everyday use.\n\n## Usage\n\n" +
  "Run `tool --out-dir DIR` to choose where files go (default `build`). Add `--verbose` for more output.\n";

const OPENAPI = "openapi: 3.0.0\ninfo:\n  title: tool\n  version: '1'\npaths:\n  /items:\n    get:\n" +
  "      summary: List items\n  /items/{item_id}:\n    delete:\n      summary: Delete an item\n";

const BASE: FileMap = {
  "tool/__init__.py": "",
  "tool/cli.py": CLI(),
  "tool/server.py": SERVER(true),
  "tool/api.py": API("fetch_report"),
  "tool/loader.py": LOADER,
  "tool/export.py": "def export_json(rows):\n    import json\n    return json.dumps(rows)\n",
  "README.md": README,
  "CHANGELOG.md": "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2024-01-01\n\n### Added\n\n- First release.\n",
  "openapi.yaml": OPENAPI,
  "docs/guide.md": "# Guide\n\n## Retries\n\nFailed uploads are retried 3 times (`--retries`).\n\n" +
    fillerDoc("More", 4, 50).replace("# More\n", ""),
  "docs/configuration.md": "# Configuration\n\n## Environment variables\n\n| Variable | Meaning |\n|---|---|\n" +
    "| `TOOL_HOME` | Where the cache lives (default `~/.tool`). |\n",
  "docs/api/reference.md":
    "# API reference\n\n## Reports\n\n`fetch_report(name)` returns the named report as a dict.\n\n" +
    fillerDoc("Other", 5, 51).replace("# Other\n", ""),
  "docs/architecture.md":
    "# Architecture\n\nThe [loader](../tool/loader.py) reads input files; the exporter writes them.\n",
  "docs/ops/deploy.md": fillerDoc("Deploying", 10, 52),
  "docs/ops/monitoring.md": fillerDoc("Monitoring", 10, 53),
  "docs/ops/backups.md": fillerDoc("Backups", 10, 54),
  "docs/faq.md": fillerDoc("FAQ", 12, 55),
};

const DOCS_UPDATE = (reason: string, steps: string) => `VERDICT: UPDATE_DOCS\nREASON: ${reason}\nPLAN:\n${steps}`;
/** Without the evidence, a model sees nothing the docs say and calls the change internal. */
export const LOOKS_INTERNAL = "VERDICT: NO_CHANGES\nREASON: the change looks internal.\nPLAN:\n1. none";

function docsScenario(
  id: string,
  title: string,
  change: RepoCommit,
  model: ModelKnowledge,
  expected: DocsScenarioSpec["expected"] = "updated",
): DocsScenarioSpec {
  return {
    kind: "docs",
    id,
    title,
    files: BASE,
    commits: [],
    branchCommits: [change],
    expected,
    model: { wrongPlan: LOOKS_INTERNAL, ...model },
  };
}

export const DOCS_SCENARIOS: DocsScenarioSpec[] = [
  docsScenario("d01-renamed-option", "renamed CLI option", {
    message: "Rename --out-dir to --output",
    files: { "tool/cli.py": CLI("--output") },
  }, {
    plan: DOCS_UPDATE("the option was renamed.", "1. README.md Usage: --out-dir → --output"),
    evidence: ["--out-dir → --output"],
    fix: [{ path: "README.md", replace: [["tool --out-dir DIR", "tool --output DIR"]] }],
  }),
  docsScenario("d02-changed-default", "changed default", {
    message: "Retry five times",
    files: { "tool/cli.py": CLI("--out-dir", "5") },
  }, {
    plan: DOCS_UPDATE("the default changed.", "1. docs/guide.md Retries: 3 → 5"),
    evidence: ["--retries: 3 → 5", "retried 3 times"],
    fix: [{ path: "docs/guide.md", replace: [["retried 3 times", "retried 5 times"]] }],
    wrongFix: [{ path: "docs/guide.md", replace: [["retried 3 times", "retried 4 times"]] }],
  }),
  docsScenario("d03-new-env-var", "new environment variable", {
    message: "Read an API token from TOOL_TOKEN",
    files: {
      "tool/auth.py": 'import os\n\n\ndef auth_token():\n    return os.environ.get("TOOL_TOKEN", "")\n',
    },
  }, {
    plan: DOCS_UPDATE(
      "a new environment variable users must know about.",
      "1. docs/configuration.md Environment variables: add TOOL_TOKEN",
    ),
    // The README's opening says where settings are documented; the patcher needs that file's table.
    evidence: ["TOOL_TOKEN", "docs/configuration.md"],
    patchEvidence: ["| `TOOL_HOME` |"],
    fix: [{
      path: "docs/configuration.md",
      replace: [["(default `~/.tool`). |\n", "(default `~/.tool`). |\n| `TOOL_TOKEN` | API token for uploads. |\n"]],
    }],
  }),
  docsScenario("d04-removed-endpoint", "removed endpoint in openapi.yaml (broken YAML first)", {
    message: "Items can no longer be deleted",
    files: { "tool/server.py": SERVER(false) },
  }, {
    plan: DOCS_UPDATE("the DELETE route is gone.", "1. openapi.yaml: remove /items/{item_id}"),
    evidence: ["/items/{item_id}", "delete:"],
    firstTry: {
      fix: [{
        path: "openapi.yaml",
        replace: [["  /items/{item_id}:\n    delete:\n      summary: Delete an item\n", "  /items/{item_id}: [\n"]],
      }],
      retryEvidence: ["no longer valid YAML"],
    },
    fix: [{
      path: "openapi.yaml",
      replace: [["  /items/{item_id}:\n    delete:\n      summary: Delete an item\n", ""]],
    }],
  }),
  docsScenario("d05-changelog-entry", "CHANGELOG entry", {
    message: "Add CSV export",
    files: {
      "tool/export.py": BASE["tool/export.py"] +
        "\n\ndef export_csv(rows):\n    return '\\n'.join(','.join(map(str, r)) for r in rows)\n",
    },
  }, {
    plan: DOCS_UPDATE("a new public function.", "1. CHANGELOG.md: Added export_csv under [Unreleased]"),
    evidence: ["export_csv", "## [Unreleased]"],
    fix: [{
      path: "CHANGELOG.md",
      replace: [["## [Unreleased]\n", "## [Unreleased]\n\n### Added\n\n- `export_csv(rows)` writes rows as CSV.\n"]],
    }],
  }),
  docsScenario("d06-internal-refactor", "internal refactor (no-op)", {
    message: "Extract a private helper",
    files: {
      "tool/export.py": BASE["tool/export.py"] + "\n\ndef _normalize(rows):\n    return [list(r) for r in rows]\n",
    },
  }, {
    plan: "VERDICT: NO_CHANGES\nREASON: only a private helper was added.\nPLAN:\n1. none",
    evidence: ["_normalize"],
    // Without seeing that the name is private, a model documents it anyway.
    wrongPlan: DOCS_UPDATE("a new function.", "1. README.md: mention the new helper"),
    wrongFix: [{
      path: "README.md",
      replace: [["for more output.\n", "for more output. Rows are normalized first.\n"]],
    }],
  }, "no_changes"),
  docsScenario("d07-docs-subfolder", "docs in docs/ subfolders (sloppy answer)", {
    message: "fetch_report is fetch_summary",
    files: { "tool/api.py": API("fetch_summary") },
  }, {
    plan: DOCS_UPDATE("the function was renamed.", "1. docs/api/reference.md Reports: fetch_report → fetch_summary"),
    evidence: ["docs/api/reference.md", "`fetch_report(name)`"],
    style: "sloppy",
    fix: [{ path: "docs/api/reference.md", replace: [["`fetch_report(name)`", "`fetch_summary(name)`"]] }],
  }),
  docsScenario("d08-link-to-renamed-file", "a link to a renamed file", {
    message: "loader.py becomes importer.py",
    files: { "tool/loader.py": null, "tool/importer.py": LOADER },
  }, {
    plan: DOCS_UPDATE("the linked file moved.", "1. docs/architecture.md: link ../tool/importer.py"),
    evidence: ["tool/importer.py", "../tool/loader.py"],
    fix: [{
      path: "docs/architecture.md",
      replace: [["[loader](../tool/loader.py)", "[importer](../tool/importer.py)"]],
    }],
  }),
  docsScenario("d09-removed-option", "removed CLI option", {
    message: "Drop --verbose; use LOG_LEVEL",
    files: { "tool/cli.py": CLI("--out-dir", "3", '    p.add_argument("--quiet", action="store_true")\n') },
  }, {
    plan: DOCS_UPDATE("--verbose was replaced by --quiet.", "1. README.md Usage: --verbose → --quiet"),
    evidence: ["--verbose", "Add `--verbose` for more output."],
    fix: [{ path: "README.md", replace: [["Add `--verbose` for more output.", "Add `--quiet` for less output."]] }],
  }),
];
