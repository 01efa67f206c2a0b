"""``copepod``: run the platform and administer it."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys


def _cmd_up(args) -> int:
    from services.core.launcher import run_platform

    return run_platform()


def _cmd_serve(args) -> int:
    from services.core.host import run_service

    run_service(args.service)
    return 0


def _cmd_gateway(args) -> int:
    from gateway.main import run_gateway

    run_gateway()
    return 0


def _cmd_migrate(args) -> int:
    from services.core.config import get_settings
    from services.core.db import Database, run_migrations
    from services.core.plugins import load_service, service_names

    settings = get_settings()
    for name in args.services or service_names():
        plugin = load_service(name)
        if plugin.migrations is None:
            continue
        run_migrations(Database(url=settings.service_database_url(name), schema=name), plugin.migrations)
        print(f"{name}: migrated")
    return 0


def _cmd_users_create(args) -> int:
    from services.users.admin import create_user_offline

    password = args.password or getpass.getpass("Password: ")
    user = asyncio.run(create_user_offline(email=args.email, password=password, name=args.name or args.email,
                                           is_admin=args.admin))
    print(f"user {user.id} <{user.email}> created{' (administrator)' if args.admin else ''}")
    return 0


def _cmd_taxonomy_import(args) -> int:
    from pathlib import Path

    from services.ontology.taxonomy_admin import MAX_REPORTED, ImportFailed, import_file

    path = Path(args.file)
    if not path.is_file():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 2
    try:
        result = asyncio.run(import_file(path=path))
    except ImportFailed as exc:
        for line, message in exc.errors[:MAX_REPORTED]:
            where = f"{path.name}:{line}: " if line else ""
            print(f"error: {where}{message}", file=sys.stderr)
        if len(exc.errors) > MAX_REPORTED:
            print(f"error: … and {len(exc.errors) - MAX_REPORTED} more", file=sys.stderr)
        print(f"nothing imported ({len(exc.errors)} error(s))", file=sys.stderr)
        return 1
    print(f"taxonomy imported: {len(result.created)} created, {len(result.renamed)} renamed, "
          f"{result.updated} updated, {result.unchanged} unchanged")
    return 0


def _cmd_demo_ecotaxa_archive(args) -> int:
    import re
    from pathlib import Path

    from tqdm import tqdm

    from services.projects.domain.ecotaxa.demo import write_archive

    annotators = []
    for text in args.annotator:
        match = re.fullmatch(r"\s*([^<>\t\r\n]*?)\s*<([^<>@\s]+@[^<>@\s]+)>\s*", text)
        if not match or not match[1]:
            print(f"error: --annotator {text!r}: expected 'Name <email>'", file=sys.stderr)
            return 2
        annotators.append((match[1], match[2]))
    if args.objects < 1 or args.samples is not None and not 1 <= args.samples <= args.objects:
        print("error: --objects must be at least 1 and --samples between 1 and --objects", file=sys.stderr)
        return 2
    path = Path(args.out or f"ecotaxa_demo_{args.objects}.zip")
    with tqdm(total=args.objects, unit="obj", unit_scale=True, file=sys.stderr) as bar:
        summary = write_archive(path, objects=args.objects, samples=args.samples, seed=args.seed,
                                annotators=annotators, progress=bar.update)
    print(f"{summary.objects} objects, {summary.images} images, {summary.samples} samples: {path}")
    return 0


def _cmd_labels_rebuild_stats(args) -> int:
    from pathlib import Path

    from services.core.offline import offline_service
    from services.labels.domain.classification.rebuild import rebuild
    from services.labels.events import LabelEvents

    async def run() -> dict:
        migrations = Path(__file__).resolve().parents[1] / "labels" / "migrations"
        async with offline_service("labels", migrations) as (sessions, bus):
            async with sessions.transaction() as s:
                return await rebuild(s, events=LabelEvents(bus))

    counts = asyncio.run(run())
    print(f"statistics rebuilt: {counts['taxo_stat']} taxon rows, {counts['annotator_stat']} annotator rows, "
          f"{counts['projects']} project(s); {counts['classifications']} classifications announced again")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="copepod", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="start NATS, every service and the gateway; stop all on Ctrl-C").set_defaults(
        fn=_cmd_up)
    serve = sub.add_parser("serve", help="run one service")
    serve.add_argument("service")
    serve.set_defaults(fn=_cmd_serve)
    sub.add_parser("gateway", help="run the REST gateway").set_defaults(fn=_cmd_gateway)
    mig = sub.add_parser("migrate", help="apply database migrations")
    mig.add_argument("services", nargs="*")
    mig.set_defaults(fn=_cmd_migrate)
    users = sub.add_parser("users", help="manage accounts").add_subparsers(dest="users_command", required=True)
    create = users.add_parser("create", help="create an account directly in the users database")
    create.add_argument("--email", required=True)
    create.add_argument("--name")
    create.add_argument("--password", help="prompted for when omitted")
    create.add_argument("--admin", action="store_true", help="application administrator")
    create.set_defaults(fn=_cmd_users_create)
    taxonomy = sub.add_parser("taxonomy", help="manage the taxonomy tree").add_subparsers(
        dest="taxonomy_command", required=True)
    imp = taxonomy.add_parser("import", help="load a TSV/CSV file (id, parent_id, name, rank, aphia_id[, type]) "
                                             "into the ontology database; idempotent, all or nothing")
    imp.add_argument("file")
    imp.set_defaults(fn=_cmd_taxonomy_import)
    demo = sub.add_parser("demo", help="generate demonstration data").add_subparsers(
        dest="demo_command", required=True)
    archive = demo.add_parser("ecotaxa-archive", help="write a valid, reproducible EcoTaxa import zip "
                                                      "(TSVs and PNG images) of synthetic objects")
    archive.add_argument("--objects", type=int, required=True)
    archive.add_argument("--samples", type=int, help="default: one per 500 objects")
    archive.add_argument("--seed", type=int, default=0)
    archive.add_argument("--annotator", action="append", default=[], metavar="'NAME <EMAIL>'",
                         help="annotator of validated and dubious objects; repeatable")
    archive.add_argument("--out", help="default: ecotaxa_demo_<objects>.zip in the current directory")
    archive.set_defaults(fn=_cmd_demo_ecotaxa_archive)
    labels = sub.add_parser("labels", help="administer the labels service's data").add_subparsers(
        dest="labels_command", required=True)
    labels.add_parser("rebuild-stats", help="recompute the kept classification statistics (taxa, annotators, "
                                            "project counters) from the classifications and their history, and "
                                            "announce every classification again (the projects service's copy)"
                      ).set_defaults(fn=_cmd_labels_rebuild_stats)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.fn(args) or 0


if __name__ == "__main__":
    sys.exit(main())
