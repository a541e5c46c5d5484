import { Router } from "express";
import { db } from "../shared/firebase.js";
import { pageInput } from "../shared/schemas.js";
import { parseInput } from "../shared/validation.js";
import { listUsers } from "./list-users.js";

/** `GET /users?limit&cursor` → `{users, nextCursor}`. */
export function usersRoutes(): Router {
  const router = Router();
  router.get("/users", async (req, res) => {
    const page = await listUsers(db(), parseInput(pageInput, req.query, "query"));
    res.json({ users: page.items, nextCursor: page.nextCursor });
  });
  return router;
}
