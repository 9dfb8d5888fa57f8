using System.Text;

namespace Sensen.Edge.Configuration;

/// <summary>PascalCase property and enum names to the snake_case used in YAML.</summary>
internal static class SnakeCase
{
    public static string From(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                // Break before an upper-case letter that starts a new word: "RetentionDays" → "retention_days",
                // and after a digit run: "H264Nvenc" → "h264_nvenc".
                if (i > 0 && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1])))
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
