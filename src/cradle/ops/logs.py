"""One JSON line per log record, on standard error (systemd's journal keeps them; jq and any log shipper read
them), with anything shaped like a citizen ID number or a mobile number masked before it is written.

The formatter is our own, on `logging.Formatter` and orjson (already a dependency), rather than
python-json-logger: the fields are fixed (time, level, logger, message, the request id of the request being
served, and the record's `extra` fields), so twenty lines do it, and one dependency fewer is audited.

Masking is a filter on the handler, so it holds for every record whatever logger or library wrote it: the message
with its arguments, the `extra` fields and a traceback's text. Request and job lines name routes and commands, not
paths or arguments, so nothing should be there to mask: the filter is defence in depth.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import logging.config
import re

import orjson

from cradle.idcard import mask

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# 17 digits and a check character (GB 11643), and a mainland mobile number, not inside a longer run of letters or
# digits (a request id's hex, a hash).
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
_ELEVEN_DIGITS = re.compile(r"\d{11}")  # in both shapes: the cheap test that passes most text untouched
# A record's own attributes, not `extra` fields; uvicorn's `color_message` is its message with terminal colours.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "color_message",
}


def mask_text(text: str) -> str:
    if _ELEVEN_DIGITS.search(text) is None:
        return text
    text = ID_NUMBER.sub(lambda m: mask(m.group()), text)
    return MOBILE.sub(lambda m: m.group()[:3] + "****" + m.group()[-4:], text)


def is_record(line: str) -> bool:
    """Whether a line of a process's standard error is one of these JSON log records (and not, say, the error a
    command printed for its user)."""
    if not line.startswith("{"):
        return False
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return isinstance(record, dict) and "logger" in record and "level" in record


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = mask_text(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, mask_text(value))
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": dt.datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()  # a record written while a request is served (its own line carries it)
        if request_id is not None:
            out["request_id"] = request_id
        out.update((k, v) for k, v in vars(record).items() if k not in _STANDARD)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            out["exception"] = record.exc_text
        if record.stack_info:
            out["stack"] = record.stack_info
        return orjson.dumps(out, default=str).decode()


def config(request_log: bool = True) -> dict:
    """A `logging.config.dictConfig` for cradle's processes (uvicorn takes it as `log_config`): JSON on
    standard error, cradle's own loggers at INFO (`cradle.request` only its 5xx lines without `request_log`),
    uvicorn's start-up and errors at INFO, everything else from WARNING. uvicorn's access log stays off: it writes
    raw paths and query strings, which may hold an ID number (`?id_number=`); `cradle.request` replaces it."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"mask": {"()": MaskPersonalData}},
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "json",
                "filters": ["mask"],
            }
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {
            "cradle": {"level": "INFO"},
            "cradle.request": {"level": "INFO" if request_log else "WARNING"},
            "uvicorn": {"level": "INFO", "handlers": [], "propagate": True},
            "uvicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
            "uvicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
    }


def configure(request_log: bool = True) -> None:
    logging.config.dictConfig(config(request_log))
