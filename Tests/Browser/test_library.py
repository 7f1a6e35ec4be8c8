"""工作资料: the city uploads a document (a renamed file of another kind refused by name), downloads
it back byte for byte, uploads a second version; a township reads the 工作方案 and searches the 问答;
the city adds a question that the search then finds."""

import io
import re
import zipfile

from selenium.webdriver.support.ui import Select

from test_liaison import fetch_bytes

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\n2 0 obj<< /Type /Pages /Kids [] /Count 0 >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def tiny_docx() -> bytes:
    """A minimal Word package: the parts the server's check reads by name."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                   '<w:body><w:p><w:r><w:t>通知</w:t></w:r></w:p></w:body></w:document>')
    return out.getvalue()


def upload(browser, path, title):
    form = browser.find("form#document-form")
    Select(form.find_element("name", "kind")).select_by_visible_text("通知")
    title_box = form.find_element("name", "title")
    title_box.clear()
    title_box.send_keys(title)
    body = form.find_element("name", "issuingBody")
    body.clear()
    body.send_keys("共青团泉州市委")
    browser.set_value(form.find_element("name", "issuedOn"), "2012-11-26")
    form.find_element("css selector", "input[type=file]").send_keys(str(path))
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))


def test_a_document_is_uploaded_downloaded_and_versioned(browser, tmp_path):
    browser.sign_in("quanzhou")
    browser.get("/library", shot="library")
    assert browser.h1() == "工作资料"
    assert "泉州市乡镇“大团委”直属团组织建设工作方案" in browser.text("main")

    fake = tmp_path / "通知.pdf"
    fake.write_text("这不是 PDF")
    upload(browser, fake, "关于开展建团攻坚月活动的通知")
    assert any("通知.pdf" in m and "不是允许的文件类型" in m for m in browser.error_messages()), browser.error_messages()

    real = tmp_path / "攻坚月通知.pdf"
    real.write_bytes(PDF)
    upload(browser, real, "关于开展建团攻坚月活动的通知")
    assert not browser.error_messages(), browser.error_messages()
    assert re.search(r"/library/documents/\d+$", browser.driver.current_url), browser.driver.current_url
    link = browser.xpath("//table[@id='versions']//a[text()='攻坚月通知.pdf']")
    assert fetch_bytes(browser, link.get_attribute("href")) == PDF, "the file comes back byte for byte"

    second = tmp_path / "攻坚月通知（修订）.docx"
    docx = tiny_docx()
    second.write_bytes(docx)
    form = browser.find("form#version-form")
    form.find_element("css selector", "input[type=file]").send_keys(str(second))
    form.find_element("name", "note").send_keys("延长活动时间")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    browser.shots("library-document")
    rows = browser.cells(browser.find("table#versions"))
    assert [row[0] for row in rows] == ["第 2 版", "第 1 版"], rows
    newest = browser.xpath("//table[@id='versions']//a[text()='攻坚月通知（修订）.docx']")
    assert fetch_bytes(browser, newest.get_attribute("href")) == docx


def test_the_faq_is_searched_and_a_question_added(browser):
    browser.sign_in("anhai")
    browser.get("/library/faq", shot="library-faq")
    assert "共 50 条" in browser.text("#faq-count")
    search = browser.find("form#faq-search")
    search.find_element("name", "q").send_keys("团员 不足 联合")
    browser.click_and_wait(search.find_element("css selector", "button[type=submit]"))
    questions = [dt.text for dt in browser.find_all("dl.faq dt")]
    assert questions and any("不足 3 人" in q for q in questions), questions
    assert len(questions) < 50

    browser.sign_in("quanzhou")
    browser.get("/library/faq")
    form = browser.find("form#faq-form")
    form.find_element("name", "topic").send_keys("台账和报送")
    form.find_element("name", "question").send_keys("春节放假期间日报还要报吗？")
    form.find_element("name", "answer").send_keys("放假期间暂停日报，节后第一个工作日补报假期进展。")
    browser.click_and_wait(form.find_element("css selector", "button[type=submit]"))
    assert not browser.error_messages(), browser.error_messages()
    search = browser.find("form#faq-search")
    search.find_element("name", "q").send_keys("春节 日报")
    browser.click_and_wait(search.find_element("css selector", "button[type=submit]"))
    assert [dt.text for dt in browser.find_all("dl.faq dt")] == ["春节放假期间日报还要报吗？"]
