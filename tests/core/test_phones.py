"""``tel_href``: the one filter that builds ``tel:`` links (digits and a leading +)."""

from __future__ import annotations

import pytest

from setka.core.templatetags.phones import tel_href


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("+7 (39550) 9-12-05", "tel:+73955091205"),
        ("8 (39550) 9-12-05", "tel:83955091205"),
        (" +7 900 111-22-33 ", "tel:+79001112233"),
        ("+7 (3952) 20-00-00 доб. 123", "tel:+73952200000;ext=123"),
        ("+7 (3952) 20-00-00, ext. 7", "tel:+73952200000;ext=7"),
        ("112", "tel:112"),
        ("приёмная", ""),
        ("", ""),
        (None, ""),
        ("+٧ ٩٠٠", ""),
    ],
)
def test_tel_href(phone, href):
    assert tel_href(phone) == href
