/**
 * Splitting streamed bytes into NDJSON lines and SSE events; pure. A network
 * chunk can end anywhere — inside a JSON line or inside a UTF-8 character —
 * so both keep the unfinished tail for the next chunk.
 */

/** Turns decoded text chunks into complete lines (without the line break). */
export class LineSplitter {
  #tail = "";

  /** Complete lines in `text`, joined to what was left over from the previous chunk. */
  push(text: string): string[] {
    const parts = (this.#tail + text).split("\n");
    this.#tail = parts.pop() ?? "";
    return parts.map(stripCarriageReturn);
  }

  /** The last line when the stream ended without a final line break. */
  flush(): string[] {
    const rest = this.#tail;
    this.#tail = "";
    return rest === "" ? [] : [stripCarriageReturn(rest)];
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

/**
 * Collects the `data:` lines of Server-Sent Events. An event ends at a blank
 * line; its data lines are joined with "\n" as the SSE standard says.
 */
export class SseDecoder {
  #data: string[] = [];

  /** The data of the event this line completes, if it completes one. */
  pushLine(line: string): string | undefined {
    if (line === "") return this.#dispatch();
    if (line.startsWith(":")) return undefined; // a comment, used as keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== "data") return undefined; // event:, id:, retry: carry nothing we use
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    this.#data.push(value);
    return undefined;
  }

  /** The event still open when the stream ended without a blank line. */
  flush(): string | undefined {
    return this.#dispatch();
  }

  #dispatch(): string | undefined {
    if (this.#data.length === 0) return undefined;
    const data = this.#data.join("\n");
    this.#data = [];
    return data;
  }
}
