/** Text for the patcher model: the edit-format instructions and the feedback after a refusal. */
import { NO_CHANGES } from "./extract.ts";
import type { EditFormat, PatchProblem } from "./types.ts";

export function formatProblemsForModel(problems: readonly PatchProblem[]): string {
  if (problems.length === 0) return "";
  const lines = problems.map((p) => `- ${p.message} [${p.code}]`);
  return [
    "Your previous answer was rejected and nothing was changed:",
    ...lines,
    "Fix every problem above and send the complete edit again in the same format, or answer exactly " +
    `${NO_CHANGES} if nothing should change.`,
  ].join("\n");
}

const NO_CHANGES_RULE = `If nothing should change, answer exactly ${NO_CHANGES} and nothing else.`;

const COMMON_RULES = [
  "Copy every unchanged and removed line exactly as it is in the file, including indentation.",
  "Never leave code out: no `...` or `# ... existing code ...` placeholders.",
  "Only edit files you were shown; use paths relative to the repository root.",
];

const UDIFF = [
  "Answer with a unified diff in one ```diff block:",
  "```diff",
  "--- a/tests/test_example.py",
  "+++ b/tests/test_example.py",
  "@@ -10,7 +10,7 @@",
  " def test_total():",
  "     cart = Cart()",
  "     cart.add(Item(price=3))",
  "-    assert cart.total() == 4",
  "+    assert cart.total() == 3",
  "```",
  "Start every file with --- a/path and +++ b/path lines and every change with an @@ line.",
  "Lines start with a space (unchanged), - (removed) or + (added); include 2–3 unchanged lines around each change.",
  "To create a file use --- /dev/null and only + lines.",
];

const SEARCH_REPLACE = [
  "Answer with SEARCH/REPLACE blocks. Put the file path alone on the line before each block:",
  "tests/test_example.py",
  "```python",
  "<<<<<<< SEARCH",
  "    assert cart.total() == 4",
  "=======",
  "    assert cart.total() == 3",
  ">>>>>>> REPLACE",
  "```",
  "The SEARCH part must match the file's lines exactly and only once; include enough lines to be unique.",
  "To create a file, use an empty SEARCH part.",
];

const WHOLE = [
  "Answer with the complete new content of every file you change, each in its own fenced block,",
  "with the file path alone on the line before the block:",
  "tests/test_example.py",
  "```python",
  "<the whole file, every line, including the ones that do not change>",
  "```",
];

export function editFormatInstructions(format: EditFormat): string {
  const specific = format === "udiff" ? UDIFF : format === "search-replace" ? SEARCH_REPLACE : WHOLE;
  return [...specific, ...COMMON_RULES, NO_CHANGES_RULE].join("\n");
}
