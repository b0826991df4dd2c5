import { Command, Option } from "@commander-js/extra-typings";
import { UsageError } from "../errors.ts";
import { isProfileName, loadCatalog, PROFILE_NAMES } from "../models/catalog.ts";
import { loadRunConfig } from "./context.ts";
import { exitState } from "./exit.ts";
import { renderJson } from "../json_envelope.ts";
import { writeOut } from "../term.ts";

/** How long a freshly started `ollama serve` gets to answer. */
const SERVER_START_WAIT_MS = 30_000;

export function setupCommand() {
  return new Command("setup")
    .description("First-run install: check the machine, start Ollama, pull the models, write .env")
    .option("-y, --yes", "answer yes to every question (non-interactive)")
    .addOption(
      new Option("--profile <profile>", "which models: fast | balanced | quality (see `sentries models`)")
        .default("balanced"),
    )
    .option("--force", "overwrite an existing .env (and regenerate .env.example)")
    .option("--json", "print the checks and what is left to do as JSON on stdout (the steps go to stderr)")
    .addHelpText(
      "after",
      `
Steps: system checks (platform, memory, disk, git, Python, pytest) → the model server at LLM_BASE (starts
\`ollama serve\` in the background when Ollama is installed but not running; never installs anything) →
the profile's planner and patcher (pulls the missing ones, with progress) → .env and .env.example in the
target repo (never a token) → the doctor checks and the next steps.

Every change asks first on a terminal; --yes answers yes. Without a terminal and without --yes, setup
changes nothing, says what it would do, and exits 2 (1 when a check failed as well; nothing left to do is
exit 0).

Examples:
  sentries setup                              check, then ask before each change
  sentries setup --yes --profile fast         unattended, small models (CI, 8 GiB machines)
  sentries setup -C ../myrepo --force         set up another checkout, overwriting its .env
  sentries setup --yes --json | jq '.checks[] | select(.status == "fail")'
Exit codes: 0 everything is ready, 1 a check or step failed, 2 bad usage (e.g. --yes needed off a terminal).`,
    )
    .action(async (options, command) => {
      if (!isProfileName(options.profile)) {
        throw new UsageError(`unknown profile "${options.profile}"`, { hint: `use ${PROFILE_NAMES.join(", ")}` });
      }
      const [{ runDoctor }, { llmClientFor }, { terminalConsole }, { realOllamaLauncher }, { realSystemProbe }, {
        runSetup,
        setupReport,
      }] = await Promise.all([
        import("../doctor/checks.ts"),
        import("../llm/for_config.ts"),
        import("../setup/console.ts"),
        import("../setup/ollama.ts"),
        import("../setup/probe.ts"),
        import("../setup/run_setup.ts"),
      ]);
      const globals = command.parent?.opts() ?? {};
      const config = await loadRunConfig(globals);
      const catalog = loadCatalog();
      const terminal = terminalConsole();
      // With --json, stdout carries only the JSON document; the steps as people read them go to stderr.
      const console = options.json ? { ...terminal, out: terminal.err } : terminal;
      const { exitCode, run } = await runSetup(
        {
          config,
          catalog,
          profile: catalog.profiles[options.profile],
          yes: options.yes === true,
          force: options.force === true,
        },
        {
          console,
          probe: realSystemProbe,
          launcher: realOllamaLauncher,
          client: llmClientFor(config),
          doctor: (c) => runDoctor(c),
          reloadConfig: () => loadRunConfig(globals),
          serverWaitMs: SERVER_START_WAIT_MS,
        },
      );
      exitState.code = exitCode;
      if (options.json) writeOut(renderJson("setup", exitCode, setupReport(run)));
    });
}
