"""Evidence files on actions: what may be uploaded, judged by content, never by name.

filetype reads a file's signature (its first bytes, and for Office files the parts inside the
zip), so a program renamed "audit.pdf" is refused.
"""

import re
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from councils.models import User

from .models import Action, Evidence, ProgressUpdate


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str


# What councils attach: PDF, Office documents (current and older formats, and OpenDocument)
# and images. The key is filetype's extension for what it read.
ALLOWED = {
    "pdf": Kind("PDF", "application/pdf"),
    "docx": Kind(
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "doc": Kind("Word document", "application/msword"),
    "xlsx": Kind(
        "Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "xls": Kind("Excel workbook", "application/vnd.ms-excel"),
    "pptx": Kind(
        "PowerPoint presentation",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "ppt": Kind("PowerPoint presentation", "application/vnd.ms-powerpoint"),
    "odt": Kind("OpenDocument text", "application/vnd.oasis.opendocument.text"),
    "ods": Kind("OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet"),
    "png": Kind("PNG image", "image/png"),
    "jpg": Kind("JPEG image", "image/jpeg"),
    "gif": Kind("GIF image", "image/gif"),
}
ALLOWED_WORDS = (
    "a PDF, a Word, Excel or PowerPoint file, an OpenDocument file, or a PNG, JPEG or GIF image"
)


def evidence_kind(
    upload: UploadedFile,
    *,
    field: str = "file",
    allowed: dict[str, Kind] = ALLOWED,
    allowed_words: str = ALLOWED_WORDS,
) -> tuple[str, Kind]:
    """The file's kind from its content, or a ValidationError on field that says what is
    allowed. Other uploads (a letter, say) pass a narrower set of ALLOWED's kinds."""
    limit = settings.EVIDENCE_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError({field: f"The file must be {settings.EVIDENCE_MAX_MB} MB or smaller"})
    if upload.size == 0:
        raise ValidationError({field: "The file is empty"})
    upload.seek(0)
    guess = filetype.guess(upload.read(8192 * 4))
    upload.seek(0)
    if guess is None or guess.extension not in allowed:
        raise ValidationError({field: f"The file must be {allowed_words}"})
    return guess.extension, allowed[guess.extension]


def display_name(upload: UploadedFile, extension: str) -> str:
    """The uploaded name made safe to show and to offer back (letters, digits, spaces and
    simple punctuation), ending as its content does."""
    name = upload.name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = re.sub(r"[^\w .,()&'-]", "_", stem).strip(" .") or "evidence"
    return f"{stem[:150]}.{extension}"


@transaction.atomic
def evidence_add(
    *,
    action: Action,
    upload: UploadedFile,
    user: User,
    description: str = "",
    update: ProgressUpdate | None = None,
) -> Evidence:
    """Keep a file as evidence of the action; refused whole, storing nothing, if not allowed."""
    if action.is_ended:
        raise ValidationError("This action was closed unfinished: it takes no more evidence")
    if update is not None and update.action_id != action.pk:
        raise ValidationError({"update": "Choose one of this action's progress updates"})
    extension, kind = evidence_kind(upload)
    evidence = Evidence(
        action=action,
        update=update,
        name=display_name(upload, extension),
        kind=kind.label,
        content_type=kind.content_type,
        size=upload.size,
        description=description.strip(),
        uploaded_by=user,
    )
    evidence._history_user = user
    evidence._change_reason = "Evidence added"
    # The file is written first (under a random name, models.evidence_path): a failure after it
    # leaves a file no row points to, never a row without its file.
    evidence.file.save(evidence.name, upload, save=False)
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: User, reason: str) -> None:
    """Take a file off the action, as when the wrong one was added; the history keeps who,
    when, why and the file's name. The stored file is deleted once that commits."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the file is removed"})
    stored = evidence.file.name
    storage = evidence.file.storage
    evidence._history_user = user
    evidence._change_reason = reason
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(stored))
