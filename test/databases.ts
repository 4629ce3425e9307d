// The engines each integration test runs on: embedded PGlite always, Postgres when a server was
// found. Each test file gets a fresh database of its own (a clone of the migrated template).
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, type Database } from "../lib/db/client";

export interface Engine {
  name: "pglite" | "postgres";
  open(): Promise<Database & { url?: string }>;
}

const pglite: Engine = {
  name: "pglite",
  open: () => openDatabase({ kind: "pglite", dir: null }),
};

function postgresEngine(adminUrl: string, template: string): Engine {
  return {
    name: "postgres",
    async open() {
      const name = `regulars_t_${process.ppid}_${randomBytes(4).toString("hex")}`;
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name} template ${template}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      const database = await openDatabase({ kind: "postgres", url: url.toString(), max: 4 }, { migrate: false });
      return {
        ...database,
        url: url.toString(),
        close: async () => {
          await database.close();
          await admin.unsafe(`drop database if exists ${name} with (force)`);
          await admin.end({ timeout: 5 });
        },
      };
    },
  };
}

export function engines(): Engine[] {
  const pg = inject("postgresTemplate");
  return pg ? [pglite, postgresEngine(pg.adminUrl, pg.template)] : [pglite];
}
