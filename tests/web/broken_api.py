"""An API whose every answer is a crash, to check that pages degrade instead of failing."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1")


@router.get("/regions")
@router.get("/documents")
@router.get("/programs")
def crash():
    raise RuntimeError("pack failed to load")
