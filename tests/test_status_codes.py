"""Status codes: a project's own stored values for statuses (``tf.Status(..., code=1)``)."""

from __future__ import annotations

from pathlib import Path

import pytest

import ticketflow as tf


def _workflow(codes: tuple[object, object, object] = (1, 3, 4)) -> tf.Workflow:
    """Three statuses with the given codes (django-helpdesk's open, resolved, closed)."""
    return tf.Workflow(
        name="coded",
        statuses=[
            tf.Status("open", initial=True, code=codes[0]),  # type: ignore[arg-type]
            tf.Status("resolved", category="solved", code=codes[1]),  # type: ignore[arg-type]
            tf.Status("closed", category="closed", terminal=True, code=codes[2]),  # type: ignore[arg-type]
        ],
        transitions=[
            tf.Transition("resolve", source="open", target="resolved"),
            tf.Transition("reopen", source="resolved", target="open"),
            tf.Transition("close", source="*", target="closed"),
        ],
    )


class TestStatusCode:
    def test_default_is_none(self) -> None:
        """A status has no code unless given one."""
        assert tf.Status("open").code is None

    @pytest.mark.parametrize("code", [1, 0, -5, 2**63 - 1, -(2**63), "open", "1"])
    def test_ints_and_strings_are_taken(self, code: int | str) -> None:
        """An int in the signed 64-bit range or a non-empty string is a code."""
        assert tf.Status("open", code=code).code == code

    @pytest.mark.parametrize("code", [True, False, 1.0, "", 2**63, -(2**63) - 1, [1], b"1"])
    def test_other_values_are_refused(self, code: object) -> None:
        """Bools, floats, empty strings, out-of-range ints and containers are refused by name."""
        with pytest.raises(tf.WorkflowError, match=r"status 'open': code must be"):
            tf.Status("open", code=code)  # type: ignore[arg-type]


class TestDuplicates:
    def test_duplicate_code_names_both_statuses(self) -> None:
        """Two statuses with one code are a WorkflowError naming both and the code."""
        with pytest.raises(tf.WorkflowError) as info:
            _workflow((1, 3, 3))
        assert info.value.problems == ("statuses 'resolved' and 'closed' share code 3",)

    def test_int_and_string_of_the_same_digits_differ(self) -> None:
        """``1`` and ``"1"`` are two codes, so they may coexist."""
        wf = _workflow((1, "1", 4))
        assert wf.status_by_code(1).name == "open"
        assert wf.status_by_code("1").name == "resolved"

    def test_statuses_without_codes_never_clash(self) -> None:
        """Several statuses without a code are fine."""
        wf = _workflow((None, None, 4))
        assert wf.status_by_code(4).name == "closed"


class TestStatusByCode:
    def test_finds_each_status(self) -> None:
        """Each code leads back to its status."""
        wf = _workflow()
        assert [wf.status_by_code(c).name for c in (1, 3, 4)] == ["open", "resolved", "closed"]

    @pytest.mark.parametrize("code", [2, "3", True, 3.0, None])
    def test_unknown_code_is_a_named_lookup_error(self, code: object) -> None:
        """An unknown code raises UnknownStatusError naming it and listing the codes."""
        wf = _workflow()
        with pytest.raises(tf.UnknownStatusError) as info:
            wf.status_by_code(code)  # type: ignore[arg-type]
        assert str(info.value) == f"no status has code {code!r} (codes: 1, 3, 4)"
        assert info.value.status == code
        assert info.value.known == ("open", "resolved", "closed")
        assert isinstance(info.value, LookupError)

    def test_no_codes_at_all(self) -> None:
        """A workflow without codes says so."""
        wf = _workflow((None, None, None))
        with pytest.raises(tf.UnknownStatusError, match=r"codes: none"):
            wf.status_by_code(1)


class TestFiles:
    @pytest.mark.parametrize("suffix", [".toml", ".json", ".yaml"])
    def test_codes_round_trip_through_files(self, tmp_path: Path, suffix: str) -> None:
        """Int and string codes are written and read back unchanged by every format."""
        wf = _workflow((1, "solved", 4))
        path = tmp_path / f"wf{suffix}"
        tf.dump(wf, path)
        back = tf.load(path)
        assert [s.code for s in back.statuses] == [1, "solved", 4]
        assert back == wf

    def test_to_dict_leaves_out_missing_codes(self) -> None:
        """A status without a code has no ``code`` key; one with a code has it."""
        statuses = _workflow((None, 3, 4)).to_dict()["statuses"]
        assert ["code" in s for s in statuses] == [False, True, True]
        assert statuses[1]["code"] == 3

    def test_toml_text_with_codes(self, tmp_path: Path) -> None:
        """A hand-written TOML file's codes are read as written."""
        path = tmp_path / "wf.toml"
        path.write_text(
            'name = "coded"\n'
            '[[statuses]]\nname = "open"\ninitial = true\ncode = 1\n'
            '[[statuses]]\nname = "closed"\ncategory = "closed"\nterminal = true\ncode = 4\n'
            '[[transitions]]\nevent = "close"\nsource = "open"\ntarget = "closed"\n',
            encoding="utf-8",
        )
        wf = tf.load(path)
        assert wf.status_by_code(4).name == "closed"

    @pytest.mark.parametrize("text", ["true", "1.5", "[1]"])
    def test_bad_code_in_a_file_names_the_key(self, tmp_path: Path, text: str) -> None:
        """A code that is not an int or a string is a LoadError naming where it is."""
        path = tmp_path / "wf.toml"
        path.write_text(
            f'name = "coded"\n[[statuses]]\nname = "open"\ninitial = true\ncode = {text}\n',
            encoding="utf-8",
        )
        with pytest.raises(tf.LoadError, match=r"statuses\[0\]\.code: expected an integer"):
            tf.load(path)

    def test_duplicate_codes_in_a_file(self) -> None:
        """Plain data with one code twice is refused as a WorkflowError naming both statuses."""
        data = _workflow().to_dict()
        data["statuses"][2]["code"] = 1
        with pytest.raises(tf.WorkflowError, match=r"statuses 'open' and 'closed' share code 1"):
            tf.Workflow.from_dict(data)
