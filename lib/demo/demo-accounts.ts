// The demo shop's logins, printed by `npm run demo` and used by the end-to-end tests. They exist
// only in a database the demo command created.
export const DEMO_OWNER = { email: "owner@demo.regulars.test", password: "regulars-demo-owner", name: "Robin (demo owner)" };
export const DEMO_VIEWER = { email: "viewer@demo.regulars.test", password: "regulars-demo-viewer", name: "Sam (demo viewer)" };
export const DEMO_SEED = "regulars-demo";
