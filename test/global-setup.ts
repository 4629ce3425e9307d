// Runs once before all test files: finds a Postgres server (DATABASE_URL, else the local one on
// 127.0.0.1:5432) and migrates a template database that each test file clones, so files run in
// parallel on databases of their own. Without a server the Postgres half is reported as not run.
import type { TestProject } from "vitest/node";
import postgres from "postgres";
import { openDatabase } from "../lib/db/client";

const LOCAL = "postgres://postgres@127.0.0.1:5432/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    postgresTemplate: { adminUrl: string; template: string } | null;
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  const adminUrl = process.env.DATABASE_URL ? withDatabase(process.env.DATABASE_URL, "postgres") : LOCAL;
  const admin = postgres(adminUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await admin`select 1`;
  } catch (e) {
    console.warn(`Postgres not reachable at ${adminUrl} (${(e as Error).message}): Postgres tests will not run, PGlite tests will.`);
    await admin.end({ timeout: 1 }).catch(() => {});
    project.provide("postgresTemplate", null);
    return;
  }
  const template = `regulars_tpl_${process.pid}`;
  await admin.unsafe(`drop database if exists ${template} with (force)`);
  await admin.unsafe(`create database ${template}`);
  const database = await openDatabase({ kind: "postgres", url: withDatabase(adminUrl, template), max: 1 });
  await database.close();
  project.provide("postgresTemplate", { adminUrl, template });

  return async () => {
    const leftovers = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`regulars_t_${process.pid}_%`} or datname = ${template}`;
    for (const { datname } of leftovers) await admin.unsafe(`drop database if exists ${datname} with (force)`);
    await admin.end({ timeout: 5 });
  };
}
