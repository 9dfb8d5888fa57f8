// Sensen.Edge runs on Linux (x86-64 boxes and Jetsons) only: systemd, /proc, unix sockets, POSIX file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
