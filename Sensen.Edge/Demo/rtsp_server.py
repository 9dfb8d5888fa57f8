#!/usr/bin/python3
"""A real RTSP camera for the ingest tests and the demo: GStreamer's RTSP server on loopback.

Serves one Matroska file (H.264 video, or audio only) at rtsp://127.0.0.1:PORT/PATH in real time;
the tests make clips longer than they run, so the "camera" never ends during a test.
Optionally requires HTTP basic authentication (RFC 7617), and optionally serves rtsps:// (TLS).
Prints "READY <port>" on stdout once it listens; stops on SIGTERM or when stdin closes.
Run it with /usr/bin/python3: the gi bindings come from Debian's python3-gi.
"""
import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import Gio, GLib, Gst, GstRtspServer  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/cam")
    parser.add_argument("--file", required=True)
    parser.add_argument("--kind", choices=["h264", "audio"], default="h264")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--tls-pem", help="certificate and private key (PEM): serve rtsps://")
    args = parser.parse_args()

    Gst.init(None)
    location = args.file.replace("\\", "\\\\").replace('"', '\\"')
    if args.kind == "h264":
        # config-interval=-1 repeats SPS/PPS with every IDR, as real cameras do, so a client
        # joining (or a resolution change) mid-stream can decode.
        launch = (f'( filesrc location="{location}" ! matroskademux ! h264parse '
                  f'! rtph264pay name=pay0 pt=96 config-interval=-1 )')
    else:
        launch = (f'( filesrc location="{location}" ! matroskademux ! opusparse '
                  f'! rtpopuspay name=pay0 pt=97 )')

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(True)

    if args.user is not None or args.tls_pem is not None:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "camera-user")
        if args.user is not None:
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password or ""), token)
        else:
            # TLS only: every client gets the role.
            auth.set_default_token(token)
        if args.tls_pem is not None:
            auth.set_tls_certificate(Gio.TlsCertificate.new_from_file(args.tls_pem))
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_role_from_structure(Gst.Structure.new_from_string(
            "camera-user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"))
        factory.set_permissions(permissions)

    server.get_mount_points().add_factory(args.path, factory)
    if server.attach(None) == 0:
        print("FAILED to listen", flush=True)
        sys.exit(1)

    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT,
                      GLib.IOCondition.HUP | GLib.IOCondition.IN, lambda *_: on_stdin(loop))
    print(f"READY {args.port}", flush=True)
    loop.run()


def on_stdin(loop):
    if not sys.stdin.readline():
        loop.quit()
        return False
    return True


if __name__ == "__main__":
    main()
