import { Router } from "express";
import { db } from "../shared/firebase.js";
import { listUsersQuery } from "./schemas.js";
import { parseInput } from "../shared/validation.js";
import { listUsers } from "./list-users.js";

/** `GET /users?limit&cursor&q` → `{users, nextCursor}`. */
export function usersRoutes(): Router {
  const router = Router();
  router.get("/users", async (req, res) => {
    const page = await listUsers(db(), parseInput(listUsersQuery, req.query, "query"));
    res.json({ users: page.items, nextCursor: page.nextCursor });
  });
  return router;
}
