// Compiles only if the types generated from api/openapi.yaml are usable the way a
// TypeScript team would use them.
import type { components, operations, paths } from "./zoom-users";

type User = components["schemas"]["User"];
type ListUsersQuery = NonNullable<operations["users"]["parameters"]["query"]>;
type CreateUser = components["schemas"]["CreateUserRequest"];

const user: User = { id: "z8yAAAAA8bbbQ", email: "jill@example.com", type: 2, pmi: 3542471135 };
const query: ListUsersQuery = { status: "active", page_size: 300, next_page_token: "abc" };
const create: CreateUser = { action: "create", user_info: { email: "new@example.com", type: 1 } };
type GetUserPath = paths["/users/{userId}"]["get"]["parameters"]["path"];
const path: GetUserPath = { userId: "me" };

export const checked = [user, query, create, path];
