// Turns a `sentries <command> --json` report into GitHub Actions step outputs ($GITHUB_OUTPUT) and, for
// commands that write no job summary themselves (status, cleanup, doctor), a short one ($GITHUB_STEP_SUMMARY).
// Runs on the runner's node (no Deno there):  node outputs.mjs COMMAND REPORT.json EXIT_CODE
import { appendFileSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import process from "node:process";

/** The step outputs for a parsed report (strings; empty when the report has no such field). */
export function outputsFor(report, exitCode) {
  const ok = report !== null && typeof report === "object";
  const pr = ok && report.pullRequest && typeof report.pullRequest === "object" ? report.pullRequest : {};
  const files = ok && Array.isArray(report.changedFiles) ? report.changedFiles.map(String) : [];
  let outcome = ok && typeof report.outcome === "string" ? report.outcome : "";
  if (!ok || (outcome === "" && report.error)) outcome = "error"; // no report, or --json's {"error": …}
  else if (outcome === "") outcome = exitCode === 0 ? "ok" : "failed";
  return {
    outcome,
    branch: ok && typeof report.branch === "string" ? report.branch : "",
    "pull-request-number": pr.number !== undefined ? String(pr.number) : "",
    "pull-request-url": typeof pr.url === "string" ? pr.url : "",
    "changed-files": files.join("\n"),
    "exit-code": String(exitCode),
  };
}

/** `name<<DELIM` blocks; the delimiter is random and checked against the value, so no value can end it early. */
export function formatOutputs(outputs) {
  let text = "";
  for (const [name, value] of Object.entries(outputs)) {
    let delimiter;
    do delimiter = `ghadelimiter_${randomBytes(12).toString("hex")}`; while (value.includes(delimiter));
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  return text;
}

function summaryFor(command, outputs, exitCode) {
  return `### sentries ${command}: ${outputs.outcome}\n\nExit code ${exitCode}.` +
    (exitCode !== 0 ? " The step log says why." : "") + "\n";
}

function main([command, reportPath, code]) {
  const exitCode = Number(code);
  let report = null;
  try {
    report = JSON.parse(readFileSync(reportPath, "utf8"));
  } catch {
    // No JSON: sentries stopped before reporting (a usage or configuration error); the log has the message.
  }
  const outputs = outputsFor(report, exitCode);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, formatOutputs(outputs));
  else process.stdout.write(formatOutputs(outputs));
  // tests and docs write their own job summary; the others (and a run that never reported) get this one.
  const ownSummary = (command === "tests" || command === "docs") && report !== null;
  if (!ownSummary && process.env.GITHUB_STEP_SUMMARY) {
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, summaryFor(command, outputs, exitCode));
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) main(process.argv.slice(2));
