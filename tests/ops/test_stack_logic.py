"""The pure pieces of scripts/stack.py, and that the committed deploy files fit them."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("stack", ROOT / "scripts/stack.py")
stack = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(stack)


def rendered_nginx_conf():
    return stack.render_nginx_conf(
        (ROOT / "deploy/nginx.conf").read_text(),
        stack.nginx_replacements(
            https_port=18443,
            http_port=18080,
            upstreams=["127.0.0.1:19001", "127.0.0.1:19002"],
            tls_dir="/tmp/s/tls",
            static_root="/tmp/s/static",
            media_root="/tmp/s/media",
        ),
    )


def test_it_runs_the_committed_nginx_conf_on_loopback_ports_and_temporary_paths():
    conf = rendered_nginx_conf()

    assert "listen 127.0.0.1:18443 ssl http2;" in conf
    assert "listen 127.0.0.1:18080;" in conf
    assert "server 127.0.0.1:19001 max_fails" in conf
    assert "server 127.0.0.1:19002 max_fails" in conf
    assert "alias /tmp/s/static/;" in conf
    assert "alias /tmp/s/media/;" in conf
    assert "/tmp/s/tls/privkey.pem" in conf
    assert "/srv/bekkenbodem" not in conf
    assert "[::]" not in conf


def test_it_refuses_an_nginx_conf_without_what_it_replaces():
    with pytest.raises(stack.StackError, match="listen 80"):
        stack.render_nginx_conf("server { }", [("listen 80;", "listen 1;")])


def test_it_starts_gunicorn_with_the_units_exec_start():
    unit = (ROOT / "deploy/gunicorn@.service").read_text()

    command = stack.gunicorn_command(unit, 19001, gunicorn="/venv/bin/gunicorn")

    assert command[:4] == ["/venv/bin/gunicorn", "therapy.wsgi", "--bind", "127.0.0.1:19001"]
    assert command[command.index("--workers") + 1] == "2"


def test_it_refuses_a_unit_with_two_exec_starts():
    with pytest.raises(stack.StackError):
        stack.gunicorn_command("ExecStart=/a\nExecStart=/b\n", 1)


def test_it_finds_what_is_wrong_with_cookies():
    cookies = stack.parse_set_cookies(
        [
            "sessionid=abc; HttpOnly; Path=/; SameSite=Lax; Secure",
            "csrftoken=def; Path=/; SameSite=Lax",
            "__Host-other=1; Path=/admin/; Secure",
            'messages=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/',
        ]
    )

    assert stack.cookie_problems(cookies) == [
        "__Host-other needs Path=/ and no Domain for its __Host- prefix",
        "csrftoken is not Secure",
        "csrftoken has no __Host- prefix",
        "sessionid has no __Host- prefix",
    ]


def test_it_accepts_host_prefixed_secure_cookies():
    cookies = stack.parse_set_cookies(
        [
            "__Host-sessionid=abc; HttpOnly; Path=/; SameSite=Lax; Secure",
            "__Host-csrftoken=def; Path=/; SameSite=Lax; Secure",
        ]
    )

    assert stack.cookie_problems(cookies) == []


def test_it_submits_a_form_as_a_browser_would():
    page = """
    <form id="lesson_form">
      <input type="hidden" name="csrfmiddlewaretoken" value="tok">
      <input name="title" value="Les 1"><input type="checkbox" name="published" checked>
      <input type="checkbox" name="draft"><input type="submit" name="_save" value="Save">
      <select name="step"><option value="1">a</option><option value="2" selected>b</option></select>
      <textarea name="body">
Tekst &amp; meer</textarea>
      <input type="file" name="video_file">
      <input type="hidden" name="images-TOTAL_FORMS" value="1">
      <input name="images-0-alt_text" value="Oud">
      <input type="hidden" name="images-__prefix__-lesson" value="7">
      <input name="images-__prefix__-alt_text" value="">
    </form>"""

    fields, files = stack.form_fields(page)
    fields, index = stack.add_inline_form(fields, "images", {"alt_text": "Nieuw"})

    assert stack.csrf_token(page) == "tok"
    assert files == ["video_file"]
    assert index == 1
    assert fields == [
        ("csrfmiddlewaretoken", "tok"),
        ("title", "Les 1"),
        ("published", "on"),
        ("step", "2"),
        ("body", "Tekst & meer"),
        ("images-TOTAL_FORMS", "2"),
        ("images-0-alt_text", "Oud"),
        ("images-1-lesson", "7"),
        ("images-1-alt_text", "Nieuw"),
    ]


def test_it_fails_a_check_of_an_unmerged_feature_only_when_strict():
    waiting = stack.Row("4b", "limits", ok=False, pending="TRUSTED_PROXY_COUNT")
    broken = stack.Row("5a", "upload", ok=False)

    assert stack.status(waiting, strict=True) == "FAIL"
    assert stack.status(waiting, strict=False) == "pending merge"
    assert stack.status(broken, strict=False) == "FAIL"
    assert stack.status(stack.Row("1a", "health", ok=True), strict=True) == "ok"
    assert "[needs: TRUSTED_PROXY_COUNT]" in stack.table([waiting], strict=False)
