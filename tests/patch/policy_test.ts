import assert from "node:assert/strict";
import { ConfigError } from "../../src/errors.ts";
import { defaultPolicy, resolvePolicy } from "../../src/patch/mod.ts";
import { matchesGlob } from "../../src/patch/glob.ts";

Deno.test("defaultPolicy: allowlists and limits per sentry", () => {
  assert.deepEqual(defaultPolicy("tests"), { sentry: "tests", allow: ["tests/**"], maxFiles: 5, maxChangedLines: 200 });
  assert.deepEqual(defaultPolicy("docs"), {
    sentry: "docs",
    allow: [
      "README.md",
      "README.rst",
      "docs/**",
      "CHANGELOG.md",
      "CHANGES.md",
      "CHANGES.rst",
      "HISTORY.*",
      "ARCHITECTURE.md",
      "ADR/**",
      "openapi.yaml",
    ],
    maxFiles: 5,
    maxChangedLines: 300,
  });
  // A fresh copy each time: callers may not mutate the defaults through it.
  defaultPolicy("tests").allow.push("src/**");
  assert.deepEqual(defaultPolicy("tests").allow, ["tests/**"]);
});

const GLOBS: Array<[glob: string, path: string, matches: boolean]> = [
  ["tests/**", "tests/test_a.py", true],
  ["tests/**", "tests/unit/deep/test_a.py", true],
  ["tests/**", "tests", false],
  ["tests/**", "testsuite/x.py", false],
  ["tests/**", "src/tests/x.py", false],
  ["README.md", "README.md", true],
  ["README.md", "docs/README.md", false],
  ["docs/*.md", "docs/a.md", true],
  ["docs/*.md", "docs/sub/a.md", false],
  ["**/*.md", "a.md", true],
  ["**/*.md", "docs/sub/a.md", true],
  ["docs/", "docs/a/b.md", true],
  ["test?.py", "test1.py", true],
  ["test?.py", "test/.py", false],
  ["a.b", "axb", false],
];

Deno.test("glob matching", () => {
  for (const [glob, path, expected] of GLOBS) {
    assert.equal(matchesGlob(path, glob), expected, `${glob} vs ${path}`);
  }
});

Deno.test("resolvePolicy: limits may only go down", () => {
  assert.deepEqual(resolvePolicy("tests", {}), defaultPolicy("tests"));
  const lowered = resolvePolicy("docs", { maxFiles: 2, maxChangedLines: 50 });
  assert.equal(lowered.maxFiles, 2);
  assert.equal(lowered.maxChangedLines, 50);
  for (const overrides of [{ maxFiles: 6 }, { maxChangedLines: 201 }, { maxFiles: 0 }, { maxChangedLines: 2.5 }]) {
    assert.throws(() => resolvePolicy("tests", overrides), ConfigError, JSON.stringify(overrides));
  }
  assert.throws(() => resolvePolicy("tests", { maxChangedLines: 500 }), /exceeds the hard limit 200/);
});

Deno.test("resolvePolicy: allowlists can only narrow, never reach .git, .github or outside", () => {
  assert.deepEqual(resolvePolicy("tests", { allow: ["tests/unit/**"] }).allow, ["tests/unit/**"]);
  assert.deepEqual(resolvePolicy("tests", { allow: ["./tests/"] }).allow, ["tests/"]);
  assert.deepEqual(resolvePolicy("docs", { allow: ["README.md", "docs/guide/**", "./docs/api/"] }).allow, [
    "README.md",
    "docs/guide/**",
    "docs/api/",
  ]);
  const bad = [
    "guides/**",
    "shop/**",
    "src/**",
    "tests",
    "Tests/**",
    "tests*/**",
    "test?/**",
    "*/**",
    "**/tests/**",
    "{tests,shop}/**",
    "[ts]*/**",
    ".git/**",
    ".git/hooks/*",
    "tests/.git/**",
    ".github/**",
    ".github/workflows/ci.yml",
    "**",
    "*",
    "**/*.yml",
    ".*/**",
    "../other/**",
    "tests/../../x",
    "/etc/**",
    "~/x",
    "C:/x",
    "tests\\x",
    "",
  ];
  for (const glob of bad) {
    assert.throws(
      () => resolvePolicy("tests", { allow: ["tests/**", glob] }),
      (err: unknown) => err instanceof ConfigError && err.message.includes(`"${glob}"`),
      `glob ${JSON.stringify(glob)} must be refused, naming it`,
    );
  }
  assert.throws(() => resolvePolicy("tests", { allow: [] }), ConfigError);
});

Deno.test("resolvePolicy: a configured allowlist reaching outside the built-in one is an error naming the glob", () => {
  const cases: Array<[sentry: "tests" | "docs", allow: string[], offending: string]> = [
    ["tests", ["tests/**", "shop/**"], "shop/**"],
    ["tests", ["**"], "**"],
    ["tests", ["tests/../shop/**"], "tests/../shop/**"],
    ["tests", ["tests/**/../../shop"], "tests/**/../../shop"],
    ["tests", ["*/**"], "*/**"],
    ["tests", ["{tests,shop}/**"], "{tests,shop}/**"],
    ["tests", ["tests/unit/**", "conftest.py"], "conftest.py"],
    ["docs", ["docs/**", "setup.py"], "setup.py"],
    ["docs", ["*.md"], "*.md"],
    ["docs", ["README.*"], "README.*"],
  ];
  for (const [sentry, allow, offending] of cases) {
    assert.throws(
      () => resolvePolicy(sentry, { allow }),
      (err: unknown) => err instanceof ConfigError && err.message.includes(`"${offending}"`),
      `${sentry} ${JSON.stringify(allow)} must be refused, naming ${offending}`,
    );
  }
  assert.throws(
    () => resolvePolicy("tests", { allow: ["tests/**", "shop/**"] }),
    /outside the built-in tests allowlist/,
  );
  // Narrowing to literal files and globs below the built-in folders passes.
  for (const allow of [["tests/unit/**"], ["tests/test_a.py"], ["tests/**/test_*.py"], ["tests/**"]]) {
    assert.deepEqual(resolvePolicy("tests", { allow }).allow, allow);
  }
  for (const allow of [["HISTORY.rst"], ["CHANGES.md", "docs/**/*.rst"], ["HISTORY.*"], ["ADR/0001-x.md"]]) {
    assert.deepEqual(resolvePolicy("docs", { allow }).allow, allow);
  }
});
