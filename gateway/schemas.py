"""JSON models shared by several routers (one OpenAPI schema each)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

# Ids travel as protobuf int64: larger numbers are refused with a 422, not a 500.
Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]


class MinUserModel(BaseModel):
    id: Int64 = Field(description="The unique numeric id of this user.", examples=[1])
    email: str = Field(description="User's email address, as text, used during registration.")
    name: str = Field(description="User's full name, as text.")
