"""Language identification (offline py3langid model)."""

from __future__ import annotations

from storyline.lang import LanguageDetector, default_detector, detect_language


def test_languages() -> None:
    assert detect_language("The two top diplomats are meeting in Geneva after the president and "
                           "his aides spent much of Thursday seeking to clarify remarks.") == "en"
    assert detect_language("Nach dem Treffen mit Lawrow warnte Blinken vor einer Invasion der "
                           "Ukraine und kündigte eine harte Reaktion an.") == "de"


def test_too_short_is_undetermined() -> None:
    assert detect_language("hello") == ""
    assert detect_language("16.5 C 2024") == ""


def test_detector_can_be_passed_in() -> None:
    detector = LanguageDetector(min_letters=1)
    assert detector.detect("Bonjour tout le monde") == "fr"
    assert default_detector() is default_detector()
