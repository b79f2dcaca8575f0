"""What a citizen sees of answers the municipality's lists no longer hold."""

from __future__ import annotations

from bot.dialogue.views import Views
from bot.questionnaire.content import load_content
from bot.questionnaire.model import SERVICE, Draft
from bot.questionnaire.services import Service, offer_services

CONTENT = load_content("ka")


def test_a_draft_on_a_service_since_removed_from_the_list_still_shows_its_summary():
    """Marneuli's own service was answered, then taken out of its file: the citizen's
    summary names it by its code instead of failing, and the rest reads as usual."""
    listed = offer_services(
        CONTENT.questionnaire, [Service("winter_heating", {}, {}), Service("other", {}, {})]
    )
    views = Views(listed, CONTENT.locale, "მარნეული")
    service = listed.role_id(SERVICE)
    draft = Draft("@summary", {service: "mountain_allowance", "gender": "female"})
    summary = views.summary(draft).text
    assert "mountain_allowance" in summary
    assert "ქალი" in summary
