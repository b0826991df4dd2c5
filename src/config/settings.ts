/**
 * Every setting Sentries reads, as data: its key in `[tool.sentries]`, its
 * environment variable, its default and how to validate it. Loading, `.env`
 * files and `.env.example` are all driven from this one table.
 */

export type SettingType = "string" | "url" | "int" | "enum" | "list" | "secret";

export interface SettingDef {
  /** Property name on the resolved Config. */
  key: string;
  /** Key under `[tool.sentries]` in pyproject.toml; undefined = not allowed there (secrets). */
  toml?: string;
  /** Environment (and .env) variable. */
  env: string;
  type: SettingType;
  default?: string | number | string[];
  choices?: readonly string[];
  min?: number;
  description: string;
}

export const SETTINGS: readonly SettingDef[] = [
  {
    key: "llmBase",
    toml: "llm_base",
    env: "LLM_BASE",
    type: "url",
    default: "http://127.0.0.1:11434",
    description: "Base URL of the model server (Ollama, or an OpenAI-style /v1 server)",
  },
  {
    key: "llmApi",
    toml: "llm_api",
    env: "LLM_API",
    type: "enum",
    choices: ["ollama", "openai", "auto"],
    default: "auto",
    description: "Wire format: ollama | openai | auto (auto: openai when LLM_BASE ends in /v1)",
  },
  {
    key: "llmApiKey",
    env: "LLM_API_KEY",
    type: "secret",
    description: "API key for an OpenAI-style server that needs one (sent as a Bearer token; never written to files)",
  },
  {
    key: "modelPlan",
    toml: "model_plan",
    env: "MODEL_PLAN",
    type: "string",
    default: "llama3.1:8b-instruct-q4_K_M",
    description: "Planner model: reads the failure and writes a short plan",
  },
  {
    key: "modelPatch",
    toml: "model_patch",
    env: "MODEL_PATCH",
    type: "string",
    default: "deepseek-coder:6.7b-instruct-q5_K_M",
    description: "Patcher model: writes the change",
  },
  {
    key: "editFormat",
    toml: "edit_format",
    env: "SENTRIES_EDIT_FORMAT",
    type: "enum",
    choices: ["udiff", "search-replace", "whole"],
    default: "udiff",
    description: "Edit format asked of the patcher: udiff | search-replace | whole",
  },
  {
    key: "logLevel",
    toml: "log_level",
    env: "LOG_LEVEL",
    type: "enum",
    choices: ["debug", "info", "warn", "error"],
    default: "info",
    description: "Log level on stderr: debug shows every model request's size and time",
  },
  {
    key: "llmTimeoutSec",
    toml: "llm_timeout",
    env: "SENTRIES_LLM_TIMEOUT",
    type: "int",
    min: 1,
    default: 180,
    description: "Seconds a model stream may stay silent before it is aborted",
  },
  {
    key: "llmConnectTimeoutSec",
    toml: "llm_connect_timeout",
    env: "SENTRIES_LLM_CONNECT_TIMEOUT",
    type: "int",
    min: 1,
    default: 10,
    description: "Seconds to wait for the model server to answer at all",
  },
  {
    key: "pytestTimeoutSec",
    toml: "pytest_timeout",
    env: "SENTRIES_PYTEST_TIMEOUT",
    type: "int",
    min: 1,
    default: 900,
    description: "Seconds one pytest run may take",
  },
  {
    key: "pytestCommand",
    toml: "pytest_command",
    env: "SENTRIES_PYTEST_COMMAND",
    type: "list",
    description: 'How to run pytest, e.g. "python3 -m pytest" (default: pytest, else python3 -m pytest)',
  },
  {
    key: "pytestFork",
    toml: "pytest_fork",
    env: "SENTRIES_PYTEST_FORK",
    type: "enum",
    choices: ["auto", "on", "off"],
    default: "auto",
    description: "Re-runs fork a warmed-up pytest instead of starting a new one: auto (Linux), on, off",
  },
  {
    key: "pytestArgs",
    toml: "pytest_args",
    env: "SENTRIES_PYTEST_ARGS",
    type: "list",
    default: [],
    description: "Extra pytest arguments (split like a shell in the environment and flags)",
  },
  {
    key: "worktreeDir",
    toml: "worktree_dir",
    env: "SENTRIES_WORKTREE_DIR",
    type: "string",
    default: "auto",
    description: "Where temporary worktrees go: auto (XDG_RUNTIME_DIR, in memory, where it is a tmpfs with room " +
      "for the checkout; else the system temp folder), temp (always the system temp folder), or an existing " +
      "folder (not under /dev, /proc or /sys, which Deno refuses)",
  },
  {
    key: "contextTokens",
    toml: "context_tokens",
    env: "SENTRIES_CONTEXT_TOKENS",
    type: "int",
    min: 500,
    default: 6000,
    description: "Token budget for the context sent with each model request",
  },
  {
    key: "maxOutputTokens",
    toml: "max_output_tokens",
    env: "SENTRIES_MAX_OUTPUT_TOKENS",
    type: "int",
    min: 256,
    default: 2048,
    description: "Most tokens a patch answer may have (each attempt's cap is sized from the files to edit, up to this)",
  },
  {
    key: "maxAttempts",
    toml: "max_attempts",
    env: "SENTRIES_MAX_ATTEMPTS",
    type: "int",
    min: 1,
    default: 3,
    description: "Patch attempts before giving up (each starts again from HEAD)",
  },
  {
    key: "authorName",
    toml: "author_name",
    env: "SENTRIES_AUTHOR_NAME",
    type: "string",
    default: "Sentries",
    description: "Commit author name for the bot's commits",
  },
  {
    key: "authorEmail",
    toml: "author_email",
    env: "SENTRIES_AUTHOR_EMAIL",
    type: "string",
    default: "sentries@users.noreply.github.com",
    description: "Commit author email for the bot's commits",
  },
  {
    key: "retentionDays",
    toml: "retention_days",
    env: "SENTRIES_RETENTION_DAYS",
    type: "int",
    min: 0,
    description: "`cleanup` without --max-age-days takes only bot artifacts older than this many days (opt-in, " +
      "e.g. for scheduled runs); unset: any age",
  },
  {
    key: "githubToken",
    env: "GITHUB_TOKEN",
    type: "secret",
    description: "Token for pushing branches and opening PRs (never written to files)",
  },
  {
    key: "githubRepository",
    toml: "github_repository",
    env: "GITHUB_REPOSITORY",
    type: "string",
    description: "owner/name of the GitHub repository",
  },
  {
    key: "githubApiUrl",
    toml: "github_api_url",
    env: "GITHUB_API_URL",
    type: "url",
    default: "https://api.github.com",
    description: "GitHub API base URL (GitHub Enterprise: https://HOST/api/v3)",
  },
];

/** Per-sentry guard overrides allowed under `[tool.sentries.tests]` / `[tool.sentries.docs]`. */
export const GUARD_KEYS = ["allow", "max_files", "max_changed_lines"] as const;
