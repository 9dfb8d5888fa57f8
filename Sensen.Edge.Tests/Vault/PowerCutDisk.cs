namespace Sensen.Edge.Tests.Vault;

/// <summary>
/// A power-loss simulator at the vault's file seam (<see cref="Sensen.Edge.Vault.VaultSettings.OpenFile"/>): files
/// live in memory and every write, truncation and fsync is journalled. <see cref="ImageAt"/> produces what a power
/// cut after journal entry <c>k</c> could leave on disk: per file, everything up to its last fsync before the cut,
/// plus an arbitrary prefix of the later writes, the last of them torn (only a prefix of its bytes landed).
/// </summary>
internal sealed class PowerCutDisk
{
    private readonly Dictionary<string, MemoryStream> _files = [];
    private readonly List<(string Path, Op Kind, long Offset, byte[] Bytes)> _journal = [];
    private readonly Lock _gate = new();

    public enum Op
    {
        Write,
        SetLength,
        Sync,
    }

    /// <summary>Journal entries so far: an operation that returned at <c>n</c> is durable in every image cut at or after <c>n</c> (if it fsynced).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _journal.Count;
            }
        }
    }

    public Stream Open(string path, bool create)
    {
        lock (_gate)
        {
            if (!_files.TryGetValue(path, out var file))
            {
                if (!create)
                {
                    throw new FileNotFoundException("simulated file not found", path);
                }

                file = new MemoryStream();
                _files[path] = file;
            }

            return new SimulatedFile(this, path, file);
        }
    }

    /// <summary>The files a power cut after the first <paramref name="cut"/> journal entries could leave.</summary>
    public Dictionary<string, byte[]> ImageAt(int cut, Random random)
    {
        lock (_gate)
        {
            var images = new Dictionary<string, byte[]>();
            foreach (var path in _journal.Take(cut).Select(e => e.Path).Distinct())
            {
                var entries = _journal.Take(cut).Select((e, i) => (e, i)).Where(x => x.e.Path == path).ToList();
                var lastSync = entries.LastOrDefault(x => x.e.Kind == Op.Sync).i;
                var hasSync = entries.Any(x => x.e.Kind == Op.Sync);
                var durable = hasSync ? entries.Where(x => x.i < lastSync).ToList() : [];
                var later = entries.Where(x => !hasSync || x.i > lastSync).Where(x => x.e.Kind != Op.Sync).ToList();
                var landed = random.Next(later.Count + 1);
                var image = new MemoryStream();
                foreach (var (e, _) in durable)
                {
                    Apply(image, e.Kind, e.Offset, e.Bytes, e.Bytes.Length);
                }

                for (var j = 0; j < landed; j++)
                {
                    var e = later[j].e;
                    var torn = j == landed - 1 && e.Kind == Op.Write ? random.Next(e.Bytes.Length + 1) : e.Bytes.Length;
                    Apply(image, e.Kind, e.Offset, e.Bytes, torn);
                }

                images[path] = image.ToArray();
            }

            return images;
        }
    }

    private static void Apply(MemoryStream file, Op kind, long offset, byte[] bytes, int count)
    {
        if (kind == Op.SetLength)
        {
            file.SetLength(offset);
        }
        else if (kind == Op.Write)
        {
            file.Position = offset;
            file.Write(bytes, 0, count);
        }
    }

    private void Record(string path, Op kind, long offset, ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _journal.Add((path, kind, offset, bytes.ToArray()));
        }
    }

    /// <summary>One open handle: reads and writes go to the in-memory file and are journalled.</summary>
    private sealed class SimulatedFile(PowerCutDisk disk, string path, MemoryStream file) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => true;

        public override long Length => file.Length;

        public override long Position
        {
            get => _position;
            set => _position = value;
        }

        public override void Flush() => disk.Record(path, Op.Sync, 0, []);

        public override int Read(byte[] buffer, int offset, int count)
        {
            lock (file)
            {
                file.Position = _position;
                var read = file.Read(buffer, offset, count);
                _position += read;
                return read;
            }
        }

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => file.Length + offset,
        };

        public override void SetLength(long value)
        {
            lock (file)
            {
                file.SetLength(value);
            }

            disk.Record(path, Op.SetLength, value, []);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (file)
            {
                file.Position = _position;
                file.Write(buffer, offset, count);
            }

            disk.Record(path, Op.Write, _position, buffer.AsSpan(offset, count));
            _position += count;
        }
    }
}
