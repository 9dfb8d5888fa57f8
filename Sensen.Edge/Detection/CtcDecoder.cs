using System.Text;

namespace Sensen.Edge.Detection;

/// <summary>
/// Greedy CTC decoding of a recogniser's <c>[T, K]</c> output (PP-OCR <c>CTCLabelDecode</c>): best class per
/// step, repeats collapsed, blanks (index 0) dropped; index i ≥ 1 is <c>keys[i − 1]</c>, and the one past the
/// last key is a space. The score is the mean probability of the characters kept.
/// </summary>
internal static class CtcDecoder
{
    public static (string Text, float Score) Decode(ReadOnlySpan<float> output, int steps, int classes, IReadOnlyList<string> keys, StringBuilder text)
    {
        if (output.Length != steps * classes)
        {
            throw new ArgumentException($"ctc output has {output.Length} values, expected {steps}x{classes}", nameof(output));
        }

        text.Clear();
        var previous = -1;
        var sum = 0f;
        var kept = 0;
        for (var t = 0; t < steps; t++)
        {
            var step = output.Slice(t * classes, classes);
            var best = 0;
            for (var k = 1; k < classes; k++)
            {
                if (step[k] > step[best])
                {
                    best = k;
                }
            }

            if (best != 0 && best != previous)
            {
                text.Append(best - 1 < keys.Count ? keys[best - 1] : " ");
                sum += step[best];
                kept++;
            }

            previous = best;
        }

        return (text.ToString(), kept == 0 ? 0 : sum / kept);
    }
}
