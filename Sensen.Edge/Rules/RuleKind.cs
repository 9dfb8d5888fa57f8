namespace Sensen.Edge.Rules;

internal enum RuleKind
{
    BusLane,
    NoStopping,
    RedLight,
    WrongWay,
    Speed,
}
