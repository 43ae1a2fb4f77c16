# mypy: disable-error-code="untyped-decorator"
# (strawberry.field/mutation with keyword arguments are typed as returning Any)
"""The root Mutation type: every write needs a staff or admin token."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import Info
from strawberry.permission import BasePermission

from schema.mutations import budget_lines, conflicts, programs, schools
from schema.permissions import CanWrite

WRITE: list[type[BasePermission]] = [CanWrite]


def _input(description: str) -> object:
    return strawberry.argument(description=description)


@strawberry.type(description="Change schools, programs and budget lines; resolve sync conflicts.")
class Mutation:
    @strawberry.mutation(description="Create a school.", permission_classes=WRITE)
    async def school_create(
        self, info: Info, input: Annotated[schools.SchoolCreateInput, _input("The new school.")]
    ) -> schools.SchoolPayload:
        return await schools.create(info, input)

    @strawberry.mutation(description="Change a school's fields.", permission_classes=WRITE)
    async def school_update(
        self, info: Info, input: Annotated[schools.SchoolUpdateInput, _input("The school and its changes.")]
    ) -> schools.SchoolPayload:
        return await schools.update(info, input)

    @strawberry.mutation(
        description="Archive (soft-delete) a school; refused while live programs use it.",
        permission_classes=WRITE,
    )
    async def school_archive(
        self, info: Info, input: Annotated[schools.SchoolArchiveInput, _input("The school to archive.")]
    ) -> schools.SchoolPayload:
        return await schools.archive(info, input, restore=False)

    @strawberry.mutation(description="Bring an archived school back.", permission_classes=WRITE)
    async def school_restore(
        self, info: Info, input: Annotated[schools.SchoolRestoreInput, _input("The school to restore.")]
    ) -> schools.SchoolPayload:
        return await schools.archive(info, input, restore=True)

    @strawberry.mutation(description="Create a program.", permission_classes=WRITE)
    async def program_create(
        self, info: Info, input: Annotated[programs.ProgramCreateInput, _input("The new program.")]
    ) -> programs.ProgramPayload:
        return await programs.create(info, input)

    @strawberry.mutation(description="Change a program's fields.", permission_classes=WRITE)
    async def program_update(
        self,
        info: Info,
        input: Annotated[programs.ProgramUpdateInput, _input("The program and its changes.")],
    ) -> programs.ProgramPayload:
        return await programs.update(info, input)

    @strawberry.mutation(
        description="Archive a program; refused while it has live budget lines.", permission_classes=WRITE
    )
    async def program_archive(
        self, info: Info, input: Annotated[programs.ProgramArchiveInput, _input("The program to archive.")]
    ) -> programs.ProgramPayload:
        return await programs.archive(info, input, restore=False)

    @strawberry.mutation(description="Bring an archived program back.", permission_classes=WRITE)
    async def program_restore(
        self, info: Info, input: Annotated[programs.ProgramRestoreInput, _input("The program to restore.")]
    ) -> programs.ProgramPayload:
        return await programs.archive(info, input, restore=True)

    @strawberry.mutation(description="Create a budget line.", permission_classes=WRITE)
    async def budget_line_create(
        self, info: Info, input: Annotated[budget_lines.BudgetLineCreateInput, _input("The new budget line.")]
    ) -> budget_lines.BudgetLinePayload:
        return await budget_lines.create(info, input)

    @strawberry.mutation(description="Change a budget line's fields.", permission_classes=WRITE)
    async def budget_line_update(
        self,
        info: Info,
        input: Annotated[budget_lines.BudgetLineUpdateInput, _input("The budget line and its changes.")],
    ) -> budget_lines.BudgetLinePayload:
        return await budget_lines.update(info, input)

    @strawberry.mutation(description="Archive (soft-delete) a budget line.", permission_classes=WRITE)
    async def budget_line_archive(
        self,
        info: Info,
        input: Annotated[budget_lines.BudgetLineArchiveInput, _input("The line to archive.")],
    ) -> budget_lines.BudgetLinePayload:
        return await budget_lines.archive(info, input, restore=False)

    @strawberry.mutation(description="Bring an archived budget line back.", permission_classes=WRITE)
    async def budget_line_restore(
        self,
        info: Info,
        input: Annotated[budget_lines.BudgetLineRestoreInput, _input("The line to restore.")],
    ) -> budget_lines.BudgetLinePayload:
        return await budget_lines.archive(info, input, restore=True)

    @strawberry.mutation(
        description="Resolve a sync conflict by keeping the sheet's or the database's value.",
        permission_classes=WRITE,
    )
    async def conflict_resolve(
        self,
        info: Info,
        input: Annotated[conflicts.ConflictResolveInput, _input("The conflict and the side.")],
    ) -> conflicts.ConflictResolvePayload:
        return await conflicts.resolve(info, input)
