"""``feedback-bot staff add|list|remove``: the first administrator is made on the server;
the one-time link is printed (or e-mailed), mistakes are one Georgian line."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_cli import run_cli
from tests.support.process import process_env
from tests.support.staff import write_other_municipality


def env_for(settings_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    env = {**settings_env, **write_other_municipality(tmp_path)}
    env["WEB_BASE_URL"] = "https://feedback.example.ge/m/"
    return process_env(env)


def test_staff_add_prints_a_one_time_link_and_list_shows_the_account(settings_env, tmp_path):
    env = env_for(settings_env, tmp_path)
    added = run_cli(
        ["staff", "add", "Nino@Ambrolauri.gov.ge", "--role", "admin", "--municipality", "default"],
        env,
        tmp_path,
    )
    assert added.returncode == 0, added.stderr
    assert "nino@ambrolauri.gov.ge" in added.stdout
    assert "https://feedback.example.ge/staff/setup/" in added.stdout
    listed = run_cli(["staff", "list"], env, tmp_path)
    assert "nino@ambrolauri.gov.ge | admin | default | ელოდება პაროლს" in listed.stdout
    removed = run_cli(["staff", "remove", "nino@ambrolauri.gov.ge"], env, tmp_path)
    assert removed.returncode == 0 and "წაიშალა" in removed.stdout
    assert "ანგარიშები ჯერ არ არის" in run_cli(["staff", "list"], env, tmp_path).stdout


def test_staff_command_mistakes_are_one_georgian_line(settings_env, tmp_path):
    env = env_for(settings_env, tmp_path)
    mistakes = {
        ("staff", "add", "nino", "--role", "admin", "--municipality", "default"): "ელფოსტის",
        ("staff", "add", "a@b.ge", "--role", "boss", "--municipality", "default"): "boss",
        ("staff", "add", "a@b.ge", "--role", "clerk"): "--municipality",
        ("staff", "add", "a@b.ge", "--role", "clerk", "--municipality", "nowhere"): "nowhere",
        ("staff", "add", "a@b.ge", "--role", "national", "--municipality", "default"): "national",
        ("staff", "remove", "nobody@b.ge"): "nobody@b.ge",
    }
    for args, named in mistakes.items():
        result = run_cli(list(args), env, tmp_path)
        assert result.returncode == 2, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and named in lines[0] and "Traceback" not in result.stderr, args
    twice = ["staff", "add", "a@b.ge", "--role", "viewer", "--municipality", "marneuli"]
    assert run_cli(twice, env, tmp_path).returncode == 0
    again = run_cli(twice, env, tmp_path)
    assert again.returncode == 2 and "უკვე არსებობს" in again.stderr


def test_with_email_configured_the_set_up_link_goes_by_email_not_to_the_screen(
    settings_env, tmp_path
):
    from tests.conftest import free_port
    from tests.support.smtp import SmtpServer

    with SmtpServer(tmp_path, free_port()) as smtp:
        env = process_env({**env_for(settings_env, tmp_path), **smtp.env()})
        args = ["staff", "add", "ana@example.ge", "--role", "clerk", "--municipality", "default"]
        added = run_cli(args, env, tmp_path)
        assert added.returncode == 0, added.stderr
        assert "/staff/setup/" not in added.stdout and "ელფოსტით" in added.stdout
        [mail] = smtp.handler.to("ana@example.ge")
        assert "https://feedback.example.ge/staff/setup/" in mail.part("plain")


def test_a_forgotten_password_gets_a_new_one_time_link_from_the_server(settings_env, tmp_path):
    env = env_for(settings_env, tmp_path)
    add = ["staff", "add", "ana@example.ge", "--role", "viewer", "--municipality", "default"]
    first = run_cli(add, env, tmp_path).stdout.split("/staff/setup/")[1].split()[0]
    again = run_cli(["staff", "link", "Ana@Example.ge"], env, tmp_path)
    assert again.returncode == 0, again.stderr
    second = again.stdout.split("/staff/setup/")[1].split()[0]
    assert second != first and "ana@example.ge" in again.stdout
    unknown = run_cli(["staff", "link", "nobody@example.ge"], env, tmp_path)
    assert unknown.returncode == 2 and "nobody@example.ge" in unknown.stderr
