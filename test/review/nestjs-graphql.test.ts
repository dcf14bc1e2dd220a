import missingAuth from "../../src/checks/missing-auth.js";
import missingOwnership from "../../src/checks/missing-ownership-check.js";
import missingRateLimit from "../../src/checks/missing-rate-limit.js";
import { ruleTester } from "../checks/tester.js";

/**
 * NestJS GraphQL: `@Resolver` classes whose `@Query`/`@Mutation` methods are entry points, behind the
 * same guards as REST controllers (`@UseGuards` on the method or class, global `APP_GUARD`s), with
 * metadata decorators (`SetMetadata`, `Reflector.createDecorator`) read by the guards that honour
 * them, and `@Args(…)` parameters as the request's input.
 */

const SERVICE = `import { Injectable } from "@nestjs/common";
import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
@Injectable()
export class NotesService {
  list() { return prisma.note.findMany(); }
  rename(id: string, title: string) { return prisma.note.update({ where: { id }, data: { title } }); }
}`;
const JWT_GUARD = `import { Injectable } from "@nestjs/common";
import { AuthGuard } from "@nestjs/passport";
@Injectable()
export class GqlAuthGuard extends AuthGuard("jwt") {}`;
const SCHEMA = `model Note {\n  id String @id\n  userId String\n  title String\n}`;
/** A resolver: `classDecorators` above the class, `methodDecorators` above the mutation. */
const resolver = (classDecorators: string, methodDecorators: string, imports = "") => `import { UseGuards } from "@nestjs/common";
import { Args, Mutation, Query, Resolver } from "@nestjs/graphql";
import { GqlAuthGuard } from "../auth/gql-auth.guard";
import { NotesService } from "./notes.service";
${imports}
${classDecorators}
@Resolver()
export class NotesResolver {
  constructor(private readonly notes: NotesService) {}

  @Query(() => [String])
  @UseGuards(GqlAuthGuard)
  notes() {
    return this.notes.list();
  }

  @Mutation(() => String)
  ${methodDecorators}
  renameNote(@Args("note") note: RenameNoteInput) {
    return this.notes.rename(note.id, note.title);
  }
}`;
const PATH = "src/notes/notes.resolver.ts";
const context = { "src/notes/notes.service.ts": SERVICE, "src/auth/gql-auth.guard.ts": JWT_GUARD, "prisma/schema.prisma": SCHEMA };
const APP_MODULE = (guard: string, from: string) => `import { Module } from "@nestjs/common";
import { APP_GUARD } from "@nestjs/core";
import { ${guard} } from "${from}";
@Module({ providers: [{ provide: APP_GUARD, useClass: ${guard} }] })
export class AppModule {}`;

/** A global guard that authenticates every request except those marked `@Public()` (read through `Reflector`). */
const PUBLIC_AWARE_GUARD = `import { ExecutionContext, Injectable } from "@nestjs/common";
import { Reflector } from "@nestjs/core";
import { AuthGuard } from "@nestjs/passport";
import { IS_PUBLIC_KEY } from "./public.decorator";
@Injectable()
export class JwtGuard extends AuthGuard("jwt") {
  constructor(private readonly reflector: Reflector) { super(); }
  canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    return super.canActivate(context);
  }
}`;
const PUBLIC_DECORATOR = `import { SetMetadata } from "@nestjs/common";
export const IS_PUBLIC_KEY = "isPublic";
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);`;

const publicContext = { ...context, "src/auth/jwt.guard.ts": PUBLIC_AWARE_GUARD, "src/auth/public.decorator.ts": PUBLIC_DECORATOR, "src/app.module.ts": APP_MODULE("JwtGuard", "./auth/jwt.guard") };
const PUBLIC_RESOLVER = resolver("", "@Public()", `import { Public } from "../auth/public.decorator";`);

/** A global guard that requires the permissions a route declares with `@Allow(…)`, and lets a route without them through. */
const PERMISSIONS_GUARD = (refusal: string) => `import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from "@nestjs/common";
import { Reflector } from "@nestjs/core";
import { GqlExecutionContext } from "@nestjs/graphql";
import { PERMISSIONS_KEY } from "./allow.decorator";
@Injectable()
export class PermissionsGuard implements CanActivate {
  constructor(private reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    const permissions = this.reflector.get<string[]>(PERMISSIONS_KEY, context.getHandler());
    const isPublic = !!permissions && permissions.includes(Permission.Public);
    if (!permissions || isPublic) return true;
    const user = GqlExecutionContext.create(context).getContext().req.user;
    const allowed = !!user && permissions.some((p) => user.permissions.includes(p));
    ${refusal}
    return true;
  }
}`;
const ALLOW_DECORATOR = `import { SetMetadata } from "@nestjs/common";
export const PERMISSIONS_KEY = "__permissions__";
export const Allow = (...permissions: Permission[]) => SetMetadata(PERMISSIONS_KEY, permissions);`;
const permissionsContext = (refusal: string) => ({
  ...context,
  "src/auth/permissions.guard.ts": PERMISSIONS_GUARD(refusal),
  "src/auth/allow.decorator.ts": ALLOW_DECORATOR,
  "src/app.module.ts": APP_MODULE("PermissionsGuard", "./auth/permissions.guard"),
});
const ALLOW_IMPORT = `import { Allow } from "../auth/allow.decorator";`;

ruleTester(missingAuth, {
  valid: [
    { name: "a mutation guarded by its own @UseGuards", path: PATH, code: resolver("", "@UseGuards(GqlAuthGuard)"), context },
    { name: "a class-level @UseGuards covers the resolver's operations", path: PATH, code: resolver("@UseGuards(GqlAuthGuard)", ""), context },
    {
      name: "a global APP_GUARD covers every resolver",
      path: PATH,
      code: resolver("", ""),
      context: { ...context, "src/app.module.ts": APP_MODULE("GqlAuthGuard", "./auth/gql-auth.guard") },
    },
    {
      name: "a global guard that honours @Public(): the route without it is authenticated",
      path: PATH,
      code: resolver("", ""),
      context: publicContext,
    },
    {
      name: "a permission the global guard refuses without (read through SetMetadata and Reflector)",
      path: PATH,
      code: resolver("", "@Allow(Permission.UpdateNote)", ALLOW_IMPORT),
      context: permissionsContext("if (!allowed) throw new ForbiddenException();"),
    },
    {
      name: "@Allow(Permission.Public): a value the permissions guard honours to let the route through, public by design",
      path: PATH,
      code: resolver("", "@Allow(Permission.Public)", ALLOW_IMPORT),
      context: permissionsContext("if (!allowed) throw new ForbiddenException();"),
    },
    {
      name: "a route marked @Public(), metadata the global guard honours to let it through: public by design",
      path: PATH,
      code: PUBLIC_RESOLVER,
      context: publicContext,
    },
    {
      name: "near-miss: a class with @Query from @nestjs/common is not a GraphQL resolver",
      path: "src/notes/notes.controller.ts",
      code: `import { Injectable, Query } from "@nestjs/common";
import { NotesService } from "./notes.service";
@Injectable()
export class NotesHelper {
  constructor(private readonly notes: NotesService) {}
  renameNote(@Query("note") note: RenameNoteInput) {
    return this.notes.rename(note.id, note.title);
  }
}`,
      context,
    },
    {
      name: "near-miss: a @Resolver whose @Query is @nestjs/common's parameter decorator declares no operation",
      path: PATH,
      code: `import { Query } from "@nestjs/common";
import { Resolver } from "@nestjs/graphql";
import { NotesService } from "./notes.service";
@Resolver()
export class NotesResolver {
  constructor(private readonly notes: NotesService) {}
  @Query()
  renameNote(note: RenameNoteInput) {
    return this.notes.rename(note.id, note.title);
  }
}`,
      context,
    },
  ],
  invalid: [
    {
      name: "a mutation left without a guard, named as a GraphQL mutation",
      path: PATH,
      code: resolver("", ""),
      context,
      errors: [{ line: 19, path: PATH, data: { route: "GraphQL mutation renameNote" } }],
    },
    {
      name: "near-miss: a permissions guard lets a route without @Allow through",
      path: PATH,
      code: resolver("", ""),
      context: permissionsContext("if (!allowed) throw new ForbiddenException();"),
      errors: [{ line: 19, path: PATH }],
    },
  ],
});

ruleTester(missingOwnership, {
  valid: [
    {
      name: "near-miss: a permission-gated mutation is a role's business, not the owner's",
      path: PATH,
      code: resolver("@UseGuards(GqlAuthGuard)", "@Allow(Permission.UpdateNote)", ALLOW_IMPORT),
      context: permissionsContext("if (!allowed) throw new ForbiddenException();"),
    },
  ],
  invalid: [
    {
      name: "an @Args input's id passed to a service that updates by it with no owner filter",
      path: PATH,
      code: resolver("@UseGuards(GqlAuthGuard)", ""),
      context,
      errors: [{ line: 19, path: PATH }],
    },
    {
      name: "near-miss: a guard whose check does not depend on the metadata is no permission requirement",
      path: PATH,
      code: resolver("@UseGuards(GqlAuthGuard)", "@Allow(Permission.UpdateNote)", ALLOW_IMPORT),
      context: permissionsContext("if (!user) throw new ForbiddenException();"),
      errors: [{ line: 19, path: PATH }],
    },
  ],
});

ruleTester(missingRateLimit, {
  valid: [{ name: "near-miss: without @Public() the global guard authenticates the mutation", path: PATH, code: resolver("", ""), context: publicContext }],
  invalid: [
    {
      name: "a @Public() mutation, open to anyone, with no rate limit",
      path: PATH,
      code: PUBLIC_RESOLVER,
      context: publicContext,
      errors: [{ line: 19, path: PATH }],
    },
  ],
});
