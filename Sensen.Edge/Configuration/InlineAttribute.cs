namespace Sensen.Edge.Configuration;

/// <summary>
/// The property's record shares its parent's YAML mapping: its keys are written beside the parent's own,
/// not under a key of their own (serde's <c>#[serde(flatten)]</c>, https://serde.rs/attr-flatten.html).
/// This lets two stages each own a record while the file keeps one mapping per camera. A key declared by
/// two records of one mapping is a programming error and fails at binding.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class InlineAttribute : Attribute;
