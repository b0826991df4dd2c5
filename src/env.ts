/**
 * Reads an environment variable. The permission set lets only declared variables through;
 * anything else (or a read Deno refuses) is simply unset, never an error.
 */
export function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}
