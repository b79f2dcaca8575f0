"""No identifier of a citizen reaches the database or the logs."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from tests.e2e.test_messenger import answer_up_to_summary as answer_messenger_questionnaire
from tests.support.citizen import Citizen
from tests.support.flows import NEED, SUGGESTION, answer_up_to_summary, complete

CITIZENS = [
    (987654321, "თამარ", "გელაშვილი", "tamar_gel_77"),
    (876543219, "გიორგი", "ჩიქოვანი", "giorgi_chiq"),
    (765432198, "Manana", "Kvaratskhelia", "manana_kv"),
]


def forms(value: str) -> list[bytes]:
    """The ways a value could be written to disk: raw UTF-8 and JSON-escaped."""
    escaped = json.dumps(value)[1:-1]
    return [value.encode(), escaped.encode(), value.encode("utf-16-le")]


def database_bytes(database: Path) -> bytes:
    files = [database, *database.parent.glob(database.name + "-*")]
    return b"".join(path.read_bytes() for path in files if path.exists())


async def test_database_holds_no_identifier_of_any_citizen(running_bot, database_path, caplog):
    caplog.set_level(logging.INFO)
    for user_id, first, last, username in CITIZENS:
        citizen = Citizen(running_bot.api, user_id, first, last, username)
        await complete(citizen)
    unfinished = Citizen(running_bot.api, 654321987, "ლევან", "ნოზაძე", "levan_noz")
    await answer_up_to_summary(unfinished)

    stored = database_bytes(database_path)
    assert SUGGESTION.encode() in stored, "the scan must see what was stored"
    identifiers = [(654321987, "ლევან", "ნოზაძე", "levan_noz"), *CITIZENS]
    for user_id, first, last, username in identifiers:
        for value in (str(user_id), first, last, username):
            for form in forms(value):
                assert form not in stored, f"{value!r} found in the database"


async def test_logs_carry_no_user_ids_and_no_answer_texts(running_bot, caplog):
    caplog.set_level(logging.DEBUG, logger="bot")
    caplog.set_level(logging.DEBUG, logger="storage")
    caplog.set_level(logging.INFO)
    user_id, first, last, username = CITIZENS[0]
    await complete(Citizen(running_bot.api, user_id, first, last, username))
    assert caplog.records, "the scan must see what was logged"
    ours = [r.getMessage() for r in caplog.records if r.name.startswith(("bot", "storage"))]
    assert ours == [], "a line per send would keep the moment of every form"
    for value in (str(user_id), first, last, username, SUGGESTION, NEED):
        assert value not in caplog.text


async def test_database_and_logs_hold_no_page_scoped_id(messenger_bot, database_path, caplog):
    caplog.set_level(logging.DEBUG)
    psids = ["7301234567891111", "7301234567892222"]
    for psid in psids:
        citizen = messenger_bot.citizen(psid)
        await answer_messenger_questionnaire(citizen)
        await citizen.tap("✅")
    unfinished = messenger_bot.citizen("7301234567893333")
    await unfinished.get_started()
    await unfinished.say("15")
    stored = b"".join(
        path.read_bytes() for path in database_path.parent.glob(database_path.name + "*")
    )
    assert SUGGESTION.encode() in stored, "the scan must see what was stored"
    for psid in [*psids, unfinished.psid]:
        for form in (psid.encode(), psid.encode("utf-16-le")):
            assert form not in stored
        assert psid not in caplog.text
