/**
 * Starts the scripted stand-in model server (Ollama and OpenAI wire formats,
 * echo replies) for people trying Sentries without Ollama:
 *
 *   deno run -A scripts/standin.ts [--port N]
 *   LLM_BASE=<printed url> deno task sentries doctor
 */
import { DEFAULT_STANDIN_MODELS, startStandIn } from "../tests/support/standin_llm.ts";

function portFromArgs(args: string[]): number | undefined {
  const index = args.indexOf("--port");
  if (index === -1) return undefined;
  const port = Number(args[index + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`error: --port needs a number from 0 to 65535, got ${args[index + 1] ?? "nothing"}`);
    Deno.exit(2);
  }
  return port;
}

const standIn = await startStandIn({ port: portFromArgs(Deno.args) });
console.log(`stand-in model server at ${standIn.url} (Ollama and OpenAI wire formats, echo replies)`);
console.log(`installed models: ${DEFAULT_STANDIN_MODELS.join(", ")}`);
console.log(`try: LLM_BASE=${standIn.url} deno task sentries doctor`);
console.log("press Ctrl-C to stop");

const stop = async () => {
  await standIn.close();
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", stop);
if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
