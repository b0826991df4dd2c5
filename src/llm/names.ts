/** Pure helpers about model names, base URLs and which wire format a server speaks. */
import type { LlmApi } from "./types.ts";

/** Ports where OpenAI-compatible servers usually listen: llama.cpp (8080), LM Studio (1234), vLLM (8000). */
const OPENAI_PORTS = new Set(["8080", "1234", "8000"]);

/**
 * Which API a base URL speaks when LLM_API is unset: a path ending in `/v1`, or
 * port 8080, 1234 or 8000, means OpenAI-style; anything else (Ollama's 11434
 * included) means Ollama.
 */
export function detectApi(baseUrl: string): LlmApi {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return "ollama";
  }
  if (/\/v1\/?$/.test(url.pathname)) return "openai";
  return OPENAI_PORTS.has(url.port) ? "openai" : "ollama";
}

/** The base URL without trailing slashes, so paths can be appended. */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}

/** The server root, i.e. the base URL without a trailing `/v1`. */
export function serverRoot(baseUrl: string): string {
  return normalizeBaseUrl(baseUrl).replace(/\/v1$/, "");
}

/** Where OpenAI-style endpoints live: `<root>/v1`. */
export function openAiBase(baseUrl: string): string {
  return `${serverRoot(baseUrl)}/v1`;
}

/** Ollama calls a model pulled as `name` `name:latest`; compare names the same way. */
export function sameModelName(a: string, b: string): boolean {
  return withTag(a) === withTag(b);
}

function withTag(name: string): string {
  const trimmed = name.trim();
  // A colon after the last slash is a tag; one before it belongs to a registry host:port.
  const lastSlash = trimmed.lastIndexOf("/");
  return trimmed.slice(lastSlash + 1).includes(":") ? trimmed : `${trimmed}:latest`;
}

/** How to name the server in messages for people. */
export function serverLabel(api: LlmApi): string {
  return api === "ollama" ? "Ollama" : "The OpenAI-compatible server";
}
