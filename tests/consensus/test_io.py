"""CSV and Polis export reading/writing: formats, errors naming file and line, round trips."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from detente.consensus import read_polis_conversation, read_votes_csv, write_polis_export
from detente.errors import InvalidVotesError


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_read_votes_csv_keeps_ids_and_last_vote(tmp_path: Path) -> None:
    f = _write(
        tmp_path / "v.csv", "participant,statement,vote\nana,s1,1\nbo,s1,-1\nana,s1,0\n李,s2,+1\n"
    )
    m = read_votes_csv(f)
    assert m.participant_ids.tolist() == ["ana", "bo", "李"]
    assert m.n_votes == 3 and m.to_dense()[0, 0] == 0


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("participant,vote\na,1\n", "v.csv:1: missing column(s) statement"),
        ("participant,statement,vote\na,s,1\nb,s,yes\n", "v.csv:3: vote 'yes'"),
        ("participant,statement,vote\na,s,1\n,s,1\n", "v.csv:3: empty participant"),
        ("participant,statement,vote\na,s,2\n", "v.csv:2: vote '2'"),
        ("participant,statement,vote,timestamp\na,s,1,soon\n", "v.csv:2: timestamp 'soon'"),
    ],
)
def test_read_votes_csv_errors_name_file_and_line(tmp_path: Path, text: str, needle: str) -> None:
    f = _write(tmp_path / "v.csv", text)
    with pytest.raises(InvalidVotesError) as info:
        read_votes_csv(f)
    assert needle in str(info.value)


def test_missing_file_is_a_domain_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidVotesError, match="cannot open"):
        read_votes_csv(tmp_path / "nope.csv")
    with pytest.raises(InvalidVotesError, match="not a folder"):
        read_polis_conversation(tmp_path / "nope")
    with pytest.raises(InvalidVotesError, match=r"no votes\.csv"):
        read_polis_conversation(tmp_path)


def _export(folder: Path) -> tuple[list, list, dict]:
    comments = [
        {
            "id": 1,
            "body": "Ban autonomous weapons",
            "author": 10,
            "moderated": 1,
            "timestamp": 1000,
        },
        {
            "id": 2,
            "body": '人工智能安全, "quoted"',
            "author": 11,
            "moderated": 0,
            "timestamp": 2000,
        },
        {"id": 3, "body": "spam", "author": 10, "moderated": -1, "timestamp": 3000},
    ]
    votes = [
        {"participant": p, "statement": s, "vote": v, "timestamp": 5000 + i}
        for i, (p, s, v) in enumerate(
            [(10, 1, 1), (11, 1, -1), (10, 2, 0), (12, 3, 1), (10, 1, -1)]
        )
    ]
    groups = {10: 0, 11: 1, 12: None}
    write_polis_export(folder, comments, votes, groups)
    return comments, votes, groups


def test_polis_export_round_trips_through_the_reader(tmp_path: Path) -> None:
    comments, _, groups = _export(tmp_path)
    conv = read_polis_conversation(tmp_path)
    m = conv.matrix
    assert conv.source == "votes.csv"
    assert conv.moderated_out == [3]
    assert [c["body"] for c in conv.comments] == [c["body"] for c in comments]
    assert conv.group_ids == groups
    dense = m.to_dense()
    assert m.participant_ids.tolist() == [10, 11, 12]
    assert dense[0, m.statement_ids.tolist().index(1)] == -1  # the later vote stands
    assert m.timestamps is not None
    (tmp_path / "votes.csv").unlink()
    from_pv = read_polis_conversation(tmp_path)
    assert from_pv.source == "participants-votes.csv"
    assert np.array_equal(
        np.nan_to_num(from_pv.matrix.to_dense(), nan=9),
        np.nan_to_num(dense, nan=9)[
            :, [m.statement_ids.tolist().index(s) for s in from_pv.matrix.statement_ids]
        ],
    )
    assert from_pv.group_ids == groups


def test_bad_vote_in_participants_votes_names_line_and_column(tmp_path: Path) -> None:
    _write(
        tmp_path / "participants-votes.csv",
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,1,2\n0,0,0,1,1,0,1,\n"
        "1,,0,1,0,0,,x\n",
    )
    with pytest.raises(InvalidVotesError) as info:
        read_polis_conversation(tmp_path)
    assert "participants-votes.csv:3 column 2" in str(info.value)


def test_reads_a_shared_polis_conversation(polis_data: Path) -> None:
    conv = read_polis_conversation(polis_data / "london.youth.policing")
    assert conv.matrix.shape == (26, 36) and conv.matrix.n_votes == 638
    assert sum(g is not None for g in conv.group_ids.values()) == 24


# ---------------------------------------------------------------- hostile input


def _polis_folder(tmp_path: Path, votes: str, comments: str = "") -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    comments = comments or (
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,x,1,0,1,0,1,first\n2,x,2,0,0,1,1,second\n"
    )
    (folder / "comments.csv").write_text(comments, encoding="utf-8")
    (folder / "votes.csv").write_text(votes, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("votes", "needle"),
    [
        (
            "timestamp,datetime,comment-id,voter-id,vote\n1,x,1,7,1\n2,x,2,7\n",
            "votes.csv:3: row has 4 fields, the header has 5",
        ),
        (
            "timestamp,datetime,comment-id,voter-id,vote\n1,x,1,7,1,extra\n",
            "votes.csv:2: row has 6 fields, the header has 5",
        ),
        (
            "timestamp,datetime,comment-id,voter-id,vote\n1,x,1,7,1\n2,x,99,7,-1\n",
            "votes.csv:3: vote on comment 99, which comments.csv does not have",
        ),
    ],
)
def test_ragged_rows_and_votes_on_unknown_comments_are_refused_naming_the_line(
    tmp_path: Path, votes: str, needle: str
) -> None:
    folder = _polis_folder(tmp_path, votes)
    with pytest.raises(InvalidVotesError) as info:
        read_polis_conversation(folder)
    assert str(info.value).endswith(needle)


def test_a_participants_votes_column_for_an_unknown_comment_is_refused(tmp_path: Path) -> None:
    folder = _polis_folder(tmp_path, "x\n")
    (folder / "votes.csv").unlink()
    (folder / "participants-votes.csv").write_text(
        "participant,group-id,n-comments,n-votes,n-agree,n-disagree,1,42\n7,0,0,2,1,1,1,-1\n",
        encoding="utf-8",
    )
    needle = r"participants-votes\.csv:1: column for comment 42"
    with pytest.raises(InvalidVotesError, match=needle):
        read_polis_conversation(folder)


def test_a_file_that_is_not_utf8_is_refused_naming_the_line(tmp_path: Path) -> None:
    folder = _polis_folder(tmp_path, "")
    text = "timestamp,datetime,comment-id,voter-id,vote\n1,x,1,7,1\n2,Ma\xf1ana,2,8,1\n"
    (folder / "votes.csv").write_bytes(text.encode("latin-1"))
    with pytest.raises(InvalidVotesError) as info:
        read_polis_conversation(folder)
    assert str(info.value).endswith("votes.csv:3: not UTF-8 text (byte 0xf1); "
                                    "save the file as UTF-8 and try again")
    header = tmp_path / "h.csv"
    header.write_bytes("participant,statement,vote,n\xe9\n".encode("latin-1"))
    with pytest.raises(InvalidVotesError, match=r"h\.csv:1: not UTF-8"):
        read_votes_csv(header)
