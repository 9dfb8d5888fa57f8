namespace Sensen.Edge.Telemetry;

/// <summary>What an operator key may do, least privilege first; each role may do everything the ones before it may.</summary>
internal enum OperatorRole
{
    /// <summary>Changes nothing: every command from a viewer key is refused (and audited).</summary>
    Viewer,

    /// <summary>Legal hold, re-send, log level.</summary>
    Operator,

    /// <summary>Also release a hold and reload the configuration.</summary>
    Admin,
}
