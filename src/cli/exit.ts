/** Commands set their exit code here rather than calling Deno.exit, so `finally` cleanup always runs. */
export const exitState = { code: 0 };
