import check from "../../src/checks/missing-auth.js";
import { ruleTester } from "../checks/tester.js";

/** NestJS controllers: routes from decorated methods, guards from `@UseGuards` on the method or class, and global `APP_GUARD`s. */

const SERVICE = `import { Injectable } from "@nestjs/common";
import { PrismaClient } from "@prisma/client";
const prisma = new PrismaClient();
@Injectable()
export class NotesService {
  remove(id: string) { return prisma.note.delete({ where: { id } }); }
  list(ownerId: string) { return prisma.note.findMany({ where: { ownerId } }); }
}`;
const JWT_GUARD = `import { Injectable } from "@nestjs/common";
import { AuthGuard } from "@nestjs/passport";
@Injectable()
export class JwtAuthGuard extends AuthGuard("jwt") {}`;
const controller = (classGuard: string, removeGuard: string) => `import { Controller, Delete, Get, Param, UseGuards } from "@nestjs/common";
import { JwtAuthGuard } from "../auth/jwt-auth.guard";
import { NotesService } from "./notes.service";
${classGuard}
@Controller("notes")
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Get()
  @UseGuards(JwtAuthGuard)
  list(@Param("ownerId") ownerId: string) {
    return this.notes.list(ownerId);
  }

  @Delete(":id")
  ${removeGuard}
  remove(@Param("id") id: string) {
    return this.notes.remove(id);
  }
}`;
const context = { "src/notes/notes.service.ts": SERVICE, "src/auth/jwt-auth.guard.ts": JWT_GUARD };

ruleTester(check, {
  valid: [
    {
      name: "every method guarded by @UseGuards(JwtAuthGuard), a Passport AuthGuard",
      path: "src/notes/notes.controller.ts",
      code: controller("", "@UseGuards(JwtAuthGuard)"),
      context,
    },
    {
      name: "a class-level @UseGuards covers its methods",
      path: "src/notes/notes.controller.ts",
      code: controller("@UseGuards(JwtAuthGuard)", ""),
      context,
    },
    {
      name: "a global APP_GUARD covers every controller",
      path: "src/notes/notes.controller.ts",
      code: controller("", ""),
      context: {
        ...context,
        "src/app.module.ts": `import { Module } from "@nestjs/common";
import { APP_GUARD } from "@nestjs/core";
import { JwtAuthGuard } from "./auth/jwt-auth.guard";
@Module({ providers: [{ provide: APP_GUARD, useClass: JwtAuthGuard }] })
export class AppModule {}`,
      },
    },
    {
      name: "a guard class whose canActivate refuses a request without a user",
      path: "src/notes/notes.controller.ts",
      code: controller("", "@UseGuards(JwtAuthGuard)"),
      context: {
        ...context,
        "src/auth/jwt-auth.guard.ts": `import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from "@nestjs/common";
@Injectable()
export class JwtAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    if (!request.user) throw new UnauthorizedException();
    return true;
  }
}`,
      },
    },
  ],
  invalid: [
    {
      name: "one method of the controller left without a guard",
      path: "src/notes/notes.controller.ts",
      code: controller("", ""),
      context,
      errors: [{ line: 17, path: "src/notes/notes.controller.ts" }],
    },
    {
      name: "near-miss: a guard class whose canActivate lets everyone through",
      path: "src/notes/notes.controller.ts",
      code: controller("@UseGuards(JwtAuthGuard)", ""),
      context: {
        ...context,
        "src/auth/jwt-auth.guard.ts": `import { CanActivate, Injectable } from "@nestjs/common";
@Injectable()
export class JwtAuthGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}`,
      },
      errors: [
        { line: 11, path: "src/notes/notes.controller.ts" },
        { line: 17, path: "src/notes/notes.controller.ts" },
      ],
    },
  ],
});
