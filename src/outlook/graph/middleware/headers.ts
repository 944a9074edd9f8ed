// Small helpers over the SDK's Context: its options.headers may be a plain object or a Headers.
import type { Context } from "@microsoft/microsoft-graph-client";

export function requestUrl(context: Context): string {
  return typeof context.request === "string" ? context.request : context.request.url;
}

export function setRequestHeader(context: Context, name: string, value: string): void {
  context.options = context.options ?? {};
  const headers = context.options.headers;
  if (headers instanceof Headers) {
    headers.set(name, value);
    return;
  }
  if (Array.isArray(headers)) {
    context.options.headers = [...headers.filter(([k]) => k.toLowerCase() !== name.toLowerCase()), [name, value]];
    return;
  }
  const plain: Record<string, string> = { ...(headers as Record<string, string> | undefined) };
  for (const k of Object.keys(plain)) if (k.toLowerCase() === name.toLowerCase()) delete plain[k];
  plain[name] = value;
  context.options.headers = plain;
}

export function requestMethod(context: Context): string {
  return (context.options?.method ?? (typeof context.request === "string" ? "GET" : context.request.method)).toUpperCase();
}
