// The production build served by `next start` on a free port against a given database, for the
// benchmarks that measure what a visitor or a sender of webhooks gets. It refuses to run without a
// build (timing a build or a dev server would measure the wrong thing) and always stops the server.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { AppError } from "../../lib/errors";

export interface NextServer {
  url: string;
  port: number;
  stop: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start stopped (exit ${child.exitCode}): ${output().slice(-2000)}`);
    try {
      const res = await fetch(`${url}/login`, { redirect: "manual" });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`next start did not answer within ${timeoutMs / 1000} s: ${output().slice(-2000)}`);
}

/** Starts the built app; `env` adds to (and overrides) this process's environment. */
/** Stops a child process: SIGTERM, then SIGKILL if it has not exited within 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

export async function startNextServer(options: { root: string; env: Record<string, string>; timeoutMs?: number }): Promise<NextServer> {
  const { root } = options;
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new AppError("invalid_input", "No production build in .next: run `npx next build` first, then the benchmark.");
  }
  const port = await freePort();
  const url = `http://localhost:${port}`;
  let output = "";
  const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(port)], {
    cwd: root,
    env: { ...process.env, APP_URL: url, ...options.env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const stop = () => stopChild(child);
  try {
    await waitForServer(url, child, () => output, options.timeoutMs ?? 60_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, stop };
}

/** Signs in through Auth.js's credentials endpoint, as the login form does; returns the Cookie header. */
export async function signInCookie(url: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${url}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header(), origin: url },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${url}/` }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.endsWith("authjs.session-token"))) throw new Error(`Signing in as ${email} failed (HTTP ${res.status}).`);
  return header();
}
