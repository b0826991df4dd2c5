/**
 * Builds the `sentries` command tree and runs it. Every expected failure is a
 * SentriesError and becomes `error: …` + `hint: …` on stderr with its exit
 * code; only unexpected errors show a stack, and only at LOG_LEVEL=debug.
 */
import { Command, CommanderError } from "@commander-js/extra-typings";
import { ConfirmationNeededError, describeError, EXIT_FAILURE, EXIT_USAGE, SentriesError } from "../errors.ts";
import { type JsonErrorBody, jsonErrorBody, renderJson } from "../json_envelope.ts";
import { log } from "../log.ts";
import { buildTarget, VERSION } from "../version.ts";
import { writeErr, writeFinalLines, writeOut } from "../term.ts";
import { exitState } from "./exit.ts";
import { doctorCommand } from "./doctor.ts";
import { testsCommand } from "./tests.ts";
import { docsCommand } from "./docs.ts";
import { statusCommand } from "./status.ts";
import { cleanupCommand } from "./cleanup.ts";
import { setupCommand } from "./setup.ts";
import { modelsCommand } from "./models.ts";

export function versionText(): string {
  return `sentries ${VERSION} (deno ${Deno.version.deno}, ${buildTarget()})`;
}

export function buildProgram(): Command {
  const program = new Command()
    .name("sentries")
    .description(
      "Keeps a repository healthy with local LLMs: fixes failing pytest tests with test-only patches and keeps " +
        "docs in step with code changes, behind hard guardrails, delivered as a branch and pull request.",
    )
    .version(versionText(), "-V, --version", "print the tool version, Deno version and target")
    .option("-C, --repo-path <dir>", "the target repository (default: the current directory)")
    .option("--log-level <level>", "debug | info | warn | error (or LOG_LEVEL)")
    .configureOutput({ writeOut, writeErr })
    .addHelpText(
      "after",
      `
Examples:
  sentries doctor                     check the model server, models, git and pytest
  sentries tests --dry-run            find failing tests and show the fix, change nothing
  sentries tests -C ../myrepo         fix failing tests in another checkout
  sentries docs --base main           propose doc updates for this branch's changes
  LOG_LEVEL=debug sentries tests      show every model request's size and time

Environment: LLM_BASE, MODEL_PLAN, MODEL_PATCH, LLM_API, GITHUB_TOKEN, GITHUB_REPOSITORY,
GITHUB_API_URL, LOG_LEVEL (see README "Configuration"; also [tool.sentries] in pyproject.toml and .env).
Exit codes: 0 success or nothing to do, 1 failure, 2 bad usage or configuration.`,
    );

  for (
    const sub of [
      testsCommand(),
      docsCommand(),
      doctorCommand(),
      statusCommand(),
      cleanupCommand(),
      setupCommand(),
      modelsCommand(),
    ]
  ) {
    program.addCommand(sub as unknown as Command);
  }
  applyToAll(program, (cmd) =>
    cmd.exitOverride().configureOutput({ writeOut, writeErr }).showHelpAfterError(
      `hint: run \`${cmd === program ? "sentries" : `sentries ${cmd.name()}`} --help\` for usage`,
    ));
  return program as unknown as Command;
}

function applyToAll(cmd: Command, fn: (c: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) applyToAll(sub as unknown as Command, fn);
}

const UNEXPECTED_HINT = "run again with LOG_LEVEL=debug for details, and report it if it persists";

/**
 * Prints the error for people on stderr; returns its JSON form (the envelope's `error`) for machines, whose
 * `exitCode` is the process's.
 */
export function reportError(err: unknown): JsonErrorBody {
  if (err instanceof SentriesError) {
    writeFinalLines([
      `error: ${err.message}`,
      ...(err.hint ? [`hint: ${err.hint}`] : []),
      ...(err.cause && log.enabled("debug") ? [`debug: cause: ${describeError(err.cause)}`] : []),
    ]);
    return jsonErrorBody(err);
  }
  const message = `unexpected failure: ${describeError(err)}`;
  const stack = log.enabled("debug") && err instanceof Error && err.stack;
  writeFinalLines([`error: ${message}`, stack ? stack : `hint: ${UNEXPECTED_HINT}`]);
  return { code: "unexpected", message, hint: UNEXPECTED_HINT, exitCode: EXIT_FAILURE };
}

/** Global options that take a value, so the value is not mistaken for a command's name. */
const GLOBAL_OPTIONS_WITH_VALUE = new Set(["-C", "--repo-path", "--log-level"]);

/** The subcommand named in the arguments (by name or alias), for an error that commander raised before it ran. */
function commandNamed(program: Command, args: string[]): string | null {
  for (let i = 0; i < args.length && args[i] !== "--"; i++) {
    if (GLOBAL_OPTIONS_WITH_VALUE.has(args[i])) {
      i++;
      continue;
    }
    if (args[i].startsWith("-")) continue;
    const sub = program.commands.find((c) => c.name() === args[i] || c.aliases().includes(args[i]));
    return sub ? sub.name() : null;
  }
  return null;
}

/**
 * Whether this run asked for JSON: the parsed option of the command that ran,
 * or, when parsing itself failed, a `--json` among the options.
 */
function asksForJson(args: string[], parsed: boolean | undefined): boolean {
  if (parsed !== undefined) return parsed;
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).includes("--json");
}

/** Runs the CLI; resolves to the exit code. */
export async function main(args: string[]): Promise<number> {
  const program = buildProgram();
  let jsonOption: boolean | undefined;
  let commandName: string | null = null;
  program.hook("preAction", (_program, action) => {
    jsonOption = (action.opts() as { json?: unknown }).json === true;
    commandName = action.name();
  });
  try {
    exitState.code = 0;
    await program.parseAsync(args, { from: "user" });
    return exitState.code;
  } catch (err) {
    let failure: JsonErrorBody;
    if (err instanceof CommanderError) {
      // Help and version are successes; everything else commander rejects is bad usage (already on stderr).
      if (err.exitCode === 0) return 0;
      const message = err.message.replace(/^error: /, "");
      failure = { code: "usage", message, hint: "run with --help for usage", exitCode: EXIT_USAGE };
    } else {
      failure = reportError(err);
    }
    if (asksForJson(args, jsonOption)) {
      // What a refused confirmation would have done travels with the error, as its report.
      const fields = err instanceof ConfirmationNeededError ? err.report : undefined;
      writeOut(renderJson(commandName ?? commandNamed(program, args), failure.exitCode, fields, failure));
    }
    return failure.exitCode;
  }
}
