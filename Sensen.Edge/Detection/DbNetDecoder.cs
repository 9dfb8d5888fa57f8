namespace Sensen.Edge.Detection;

/// <summary>
/// Reads the probability map of a DBNet text detector (PP-OCR det): binarise at
/// <c>binary_threshold</c>, take 8-connected regions, score each by its mean probability (PP-OCR's
/// "fast" box score), drop those under <c>confidence</c> or <c>min_size</c>, and grow the rest by the
/// unclip distance d = area × ratio / perimeter (PP-OCR <c>DBPostProcess.unclip</c>, for the region's box).
/// Boxes are axis-aligned, which is what obscuring needs. Scratch buffers are kept between calls.
/// </summary>
internal sealed class DbNetDecoder
{
    private readonly int _width;
    private readonly int _height;
    private readonly int[] _labels;
    private readonly int[] _stack;

    public DbNetDecoder(int width, int height)
    {
        _width = width;
        _height = height;
        _labels = new int[width * height];
        _stack = new int[width * height];
    }

    public void Decode(ReadOnlySpan<float> probability, float binaryThreshold, float boxThreshold, float unclipRatio, int minSize, ObjectClass cls, List<DetectedObject> results)
    {
        if (probability.Length != _labels.Length)
        {
            throw new ArgumentException($"dbnet map has {probability.Length} values, expected {_width}x{_height}", nameof(probability));
        }

        Array.Clear(_labels);
        var label = 0;
        for (var start = 0; start < probability.Length; start++)
        {
            if (_labels[start] != 0 || probability[start] <= binaryThreshold)
            {
                continue;
            }

            label++;
            _labels[start] = label;
            var top = 0;
            _stack[top++] = start;
            int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
            double sum = 0;
            var count = 0;
            while (top > 0)
            {
                var p = _stack[--top];
                var x = p % _width;
                var y = p / _width;
                sum += probability[p];
                count++;
                minX = Math.Min(minX, x);
                maxX = Math.Max(maxX, x);
                minY = Math.Min(minY, y);
                maxY = Math.Max(maxY, y);
                for (var dy = -1; dy <= 1; dy++)
                {
                    var ny = y + dy;
                    if (ny < 0 || ny >= _height)
                    {
                        continue;
                    }

                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var nx = x + dx;
                        if (nx < 0 || nx >= _width)
                        {
                            continue;
                        }

                        var q = (ny * _width) + nx;
                        if (_labels[q] == 0 && probability[q] > binaryThreshold)
                        {
                            _labels[q] = label;
                            _stack[top++] = q;
                        }
                    }
                }
            }

            float w = maxX - minX + 1;
            float h = maxY - minY + 1;
            var score = (float)(sum / count);
            if (Math.Min(w, h) < minSize || score < boxThreshold)
            {
                continue;
            }

            var d = w * h * unclipRatio / (2 * (w + h));
            if (Math.Min(w, h) + (2 * d) < minSize + 2)
            {
                continue;
            }

            results.Add(new DetectedObject(new BoxF(minX - d, minY - d, maxX + 1 + d, maxY + 1 + d), cls, score));
        }
    }
}
