"""Every malformed input to `zhenggai import` gives a clear Chinese message, exit 1, and writes nothing."""

from __future__ import annotations

import os

import pytest
from conftest import run_cli
from import_helpers import fake_encrypted_ooxml, fingerprint, write_docx, write_xlsx


def _empty_docx(p):
    import docx

    docx.Document().save(str(p))
    return p


def _prose_docx(p):
    return write_docx(p, ["关于做好秋季防火工作的通知", "各单位：", "请认真做好防火工作，确保安全。", "特此通知。"])


def _corrupt_xlsx(p):
    good = write_xlsx(p.with_name("good.xlsx"), [["序号", "问题", "整改措施"], [1, "甲", "乙"]])
    p.write_bytes(good.read_bytes()[:300])  # cut short: the ZIP directory is gone
    return p


def _garbage_xlsx(p):
    p.write_bytes(os.urandom(2048))
    return p


def _zip_not_office(p):
    import zipfile

    with zipfile.ZipFile(p, "w") as z:
        z.writestr("readme.txt", "hello")
    return p


def _no_header_sheet(p):
    return write_xlsx(p, [["2024年工作安排"], ["一月", "学习"], ["二月", "调研"]])


def _old_doc(p):
    fake_encrypted_ooxml(p)
    p.write_bytes(p.read_bytes().replace("EncryptedPackage".encode("utf-16-le"), "WordDocument\0\0\0\0".encode("utf-16-le")))
    return p


def _empty(p):
    p.write_bytes(b"")
    return p


def _binary_txt(p):
    p.write_bytes(b"\x00\x01\x02" * 100)
    return p


CASES = {
    "empty.docx": (_empty_docx, "Word 文件中没有文字"),
    "notice.docx": (_prose_docx, "未能从“notice.docx”识别出对照检查材料的结构"),
    "corrupt.xlsx": (_corrupt_xlsx, "文件已损坏"),
    "garbage.xlsx": (_garbage_xlsx, "文件已损坏或不是 xlsx 格式"),
    "other.zip.docx": (_zip_not_office, "既不是 Word .docx，也不是 Excel .xlsx"),
    "locked.xlsx": (fake_encrypted_ooxml, "设置了打开密码"),
    "noheader.xlsx": (_no_header_sheet, "识别出整改台账：没有找到含“序号、问题、整改措施"),
    "old.doc": (_old_doc, "旧版 Word 97-2003"),
    "empty.txt": (_empty, "文件是空的"),
    "binary.txt": (_binary_txt, "这不是文本文件"),
    "ledger.pdf": (lambda p: (p.write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n"), p)[1], "不支持的文件类型"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_file_is_refused_and_nothing_written(demo_db, db_path, tmp_path, name):
    make, message = CASES[name]
    src = make(tmp_path / name)
    before = fingerprint(db_path.parent)
    for extra in ([], ["--yes"], ["--yes", "--campaign", demo_db.all("campaigns")[0]["name"]]):
        r = run_cli("import", str(src), "--db", str(db_path), *extra)
        assert r.returncode == 1, (name, r.stdout, r.stderr)
        assert message in r.stderr, r.stderr
        assert "Traceback" not in r.stderr + r.stdout
        assert fingerprint(db_path.parent) == before  # not even a backup


def test_missing_file_and_no_database_created(tmp_path):
    db = tmp_path / "new" / "z.json"
    r = run_cli("import", str(tmp_path / "nope.docx"), "--db", str(db))
    assert r.returncode == 1 and "找不到文件" in r.stderr
    assert not db.parent.exists()


def test_preview_of_a_good_file_creates_no_database(tmp_path):
    src = write_docx(tmp_path / "m.docx", ["某某党组对照检查材料", "一、存在的突出问题", "（一）在政治方面", "一是问题甲。表现。"])
    db = tmp_path / "new" / "z.json"
    r = run_cli("import", str(src), "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "以上为预览，未写入任何数据" in r.stdout and "1) 问题甲" in r.stdout
    assert not db.parent.exists()
    r = run_cli("import", str(src), "--db", str(db), "--yes")
    assert r.returncode == 0, r.stderr
    assert "已新建整改活动“某某党组”：1 个问题" in r.stdout


def test_really_encrypted_xlsx(tmp_path):
    pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool is not installed: the OLE shape is tested by locked.xlsx")
    plain = write_xlsx(tmp_path / "plain.xlsx", [["序号", "问题", "整改措施"], [1, "甲", "乙"]])
    locked = tmp_path / "locked.xlsx"
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(plain, "rb") as fin, open(locked, "wb") as fout:
        OOXMLFile(fin).encrypt("secret", fout)
    r = run_cli("import", str(locked), "--db", str(tmp_path / "z.json"))
    assert r.returncode == 1 and "设置了打开密码" in r.stderr


def test_unmatched_heading_without_yes_is_reported(demo_db, db_path, tmp_path):
    src = write_docx(tmp_path / "m.docx", ["一、存在的突出问题", "（一）在带头抓好意识形态工作方面", "一是问题甲。"])
    camp = demo_db.all("campaigns")[0]["name"]
    before = fingerprint(db_path.parent)
    r = run_cli("import", str(src), "--db", str(db_path), "--campaign", camp)
    assert r.returncode == 0 and "未对应到该活动维度的标题（加 --yes 时新增为维度）" in r.stdout
    assert fingerprint(db_path.parent) == before
    r = run_cli("import", str(src), "--db", str(db_path), "--campaign", camp, "--yes")
    assert r.returncode == 0 and "新增维度：带头抓好意识形态工作" in r.stdout
