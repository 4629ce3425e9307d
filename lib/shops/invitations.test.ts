import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engines } from "../../test/databases";
import { addCustomer, makeShop, uniqueEmail } from "../../test/factories";
import { verifySignIn } from "../auth/verify-sign-in";
import type { Database } from "../db/client";
import { customers, invitations, shops } from "../db/schema";
import { withInvitationToken, withShop, withUser } from "../db/tenant";
import { acceptInvitation, findInvitation } from "./accept-invitation";
import { hashInvitationToken, INVITATION_TTL_MS, inviteMember, listPendingInvitations, revokeInvitation } from "./invitations";
import { listMembers } from "./list-members";
import { listUserShops } from "./list-user-shops";

describe.each(engines())("invitations on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(() => database?.close());

  const invite = (shop: { shopId: string; userId: string }, email: string, role = "viewer", now?: Date) =>
    withShop(shop.shopId, (tx) => inviteMember(tx, { email, role }, { invitedBy: shop.userId, now }), database);
  const members = (shopId: string) => withShop(shopId, listMembers, database);

  it("a new person accepts with a name and password, becomes a member once, and can sign in", async () => {
    const shop = await makeShop(database, "Corner Café");
    const email = uniqueEmail("barista");
    const sent = await invite(shop, email.toUpperCase());
    expect(sent).toMatchObject({ email, role: "viewer" });

    // Only the token's hash is stored.
    const [stored] = await withShop(shop.shopId, (tx) => tx.select().from(invitations).where(eq(invitations.id, sent.id)), database);
    expect(stored?.tokenHash).toBe(hashInvitationToken(sent.token));
    expect(JSON.stringify(stored)).not.toContain(sent.token);

    expect(await withShop(shop.shopId, (tx) => listPendingInvitations(tx), database)).toEqual([expect.objectContaining({ email, role: "viewer", expired: false })]);
    expect(await findInvitation(sent.token, { database })).toMatchObject({ shopId: shop.shopId, shopName: "Corner Café", email, role: "viewer", accountExists: false });

    const weak = await acceptInvitation({ token: sent.token, newAccount: { name: "", password: "short" } }, { database }).catch((e) => e);
    expect(weak.fields.map((f: { field: string }) => f.field).sort()).toEqual(["name", "password"]);

    const accepted = await acceptInvitation({ token: sent.token, newAccount: { name: "Bea", password: "espresso every day" } }, { database });
    expect(accepted.shopId).toBe(shop.shopId);
    expect((await members(shop.shopId)).map((m) => [m.email, m.role])).toContainEqual([email, "viewer"]);
    expect(await withShop(shop.shopId, (tx) => listPendingInvitations(tx), database)).toEqual([]);
    await expect(verifySignIn(database.db, { email, password: "espresso every day" })).resolves.toMatchObject({ name: "Bea" });

    // Used: the link finds nothing any more.
    expect(await findInvitation(sent.token, { database })).toBeNull();
    await expect(acceptInvitation({ token: sent.token, newAccount: { name: "Eve", password: "another password 1" } }, { database })).rejects.toMatchObject({ code: "not_found" });
  });

  it("answers the owner alike whether or not the person has an account, and the person with one accepts signed in", async () => {
    const shop = await makeShop(database);
    const other = await makeShop(database);
    const forNew = await invite(shop, uniqueEmail("nobody-yet"), "owner");
    const forExisting = await invite(shop, other.ownerEmail, "owner");
    expect(Object.keys(forExisting).sort()).toEqual(Object.keys(forNew).sort());

    expect(await findInvitation(forExisting.token, { database })).toMatchObject({ accountExists: true });
    // Someone else signed in cannot take it, and creating a second account for the email is refused.
    const stranger = await makeShop(database);
    await expect(acceptInvitation({ token: forExisting.token, user: { id: stranger.userId, email: stranger.ownerEmail } }, { database })).rejects.toMatchObject({ code: "forbidden" });
    await expect(acceptInvitation({ token: forExisting.token, newAccount: { name: "X", password: "a new password 1" } }, { database })).rejects.toMatchObject({ code: "conflict" });

    await acceptInvitation({ token: forExisting.token, user: { id: other.userId, email: other.ownerEmail.toUpperCase() } }, { database });
    const theirShops = await withUser(other.userId, listUserShops, database);
    expect(theirShops.map((s) => [s.shopId, s.role])).toContainEqual([shop.shopId, "owner"]);
  });

  it("finds nothing for an expired, revoked, replaced or made-up link", async () => {
    const shop = await makeShop(database);
    const start = new Date();
    const expiring = await invite(shop, uniqueEmail("late"), "viewer", start);
    const after = new Date(start.getTime() + INVITATION_TTL_MS + 1000);
    expect(await findInvitation(expiring.token, { database, now: after })).toBeNull();
    await expect(acceptInvitation({ token: expiring.token, newAccount: { name: "Late", password: "too late for this" } }, { database, now: after })).rejects.toMatchObject({ code: "not_found" });
    expect((await withShop(shop.shopId, (tx) => listPendingInvitations(tx, after), database))[0]).toMatchObject({ expired: true });

    const revoked = await invite(shop, uniqueEmail("revoked"));
    await withShop(shop.shopId, (tx) => revokeInvitation(tx, revoked.id), database);
    expect(await findInvitation(revoked.token, { database })).toBeNull();

    const email = uniqueEmail("twice");
    const first = await invite(shop, email);
    const second = await invite(shop, email);
    expect(await findInvitation(first.token, { database })).toBeNull();
    expect(await findInvitation(second.token, { database })).toMatchObject({ email });

    // A token one character off (never the real one, whatever its last character).
    for (const forged of ["", "x", "A".repeat(43), `${second.token.slice(0, -1)}${second.token.endsWith("A") ? "B" : "A"}`, "../../etc/passwd"]) expect(await findInvitation(forged, { database })).toBeNull();
  });

  it("refuses to invite a member again and keeps invitations inside their shop", async () => {
    const shop = await makeShop(database);
    const other = await makeShop(database);
    await expect(invite(shop, shop.ownerEmail)).rejects.toMatchObject({ code: "conflict" });
    await expect(invite(shop, "not an email")).rejects.toMatchObject({ code: "invalid_input", fields: [{ field: "email" }] });

    const sent = await invite(shop, uniqueEmail("guest"));
    await expect(withShop(other.shopId, (tx) => revokeInvitation(tx, sent.id), database)).rejects.toMatchObject({ code: "not_found" });
    expect(await withShop(other.shopId, (tx) => listPendingInvitations(tx), database)).toEqual([]);

    // The link's scope reads its invitation and its shop's name, nothing else of the shop.
    await addCustomer(database, shop.shopId, { email: "ann@example.com" });
    const seen = await withInvitationToken(
      hashInvitationToken(sent.token),
      async (tx) => ({ invitations: await tx.select().from(invitations), shops: await tx.select({ id: shops.id }).from(shops), customers: await tx.select().from(customers) }),
      database,
    );
    expect(seen.invitations.map((i) => i.id)).toEqual([sent.id]);
    expect(seen.shops).toEqual([{ id: shop.shopId }]);
    expect(seen.customers).toEqual([]);
  });
});
