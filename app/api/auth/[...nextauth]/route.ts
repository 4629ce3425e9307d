// Auth.js endpoints (sign-in callbacks, sign-out, session).
import { handlers } from "@/auth";

export const { GET, POST } = handlers;
