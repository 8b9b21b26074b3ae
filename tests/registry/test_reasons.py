"""A quarantined row keeps the Chinese message of its reason (REASONS, stored as it always was); its message id
(REASON_MESSAGES) says the same in every language, so the two cannot drift apart."""

from cradle.registry.validation import REASON_MESSAGES, REASONS
from cradle.web.i18n import translations


def test_every_reason_is_stored_as_its_message_in_chinese():
    assert set(REASON_MESSAGES) == set(REASONS)
    for code, message_id in REASON_MESSAGES.items():
        assert translations("zh").gettext(message_id) == REASONS[code], code
        assert translations("en").gettext(message_id) == message_id, code
