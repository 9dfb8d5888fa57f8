namespace Sensen.Edge.Tracking;

/// <summary>
/// A constant-velocity Kalman filter on one coordinate: state (position, velocity), 2×2 covariance.
/// The tracker's box filter is four of these (centre x, centre y, width, height): with diagonal process and
/// measurement noise the 8-state box filter of SORT/ByteTrack factorises exactly into independent axes, and
/// this form takes any time step, which the detection interval needs. Process noise is the discrete
/// white-noise acceleration model (Bar-Shalom, Li, Kirubarajan, <i>Estimation with Applications to Tracking
/// and Navigation</i>, 2001, §6.3.3).
/// </summary>
internal struct AxisKalman
{
    private double _p00;
    private double _p01;
    private double _p11;

    public double Position { get; private set; }

    public double Velocity { get; private set; }

    /// <summary>Position variance.</summary>
    public readonly double Variance => _p00;

    public void Initialise(double position, double positionStd, double velocityStd)
    {
        Position = position;
        Velocity = 0;
        _p00 = positionStd * positionStd;
        _p01 = 0;
        _p11 = velocityStd * velocityStd;
    }

    public void Predict(double dt, double accelerationStd)
    {
        if (dt <= 0)
        {
            return;
        }

        Position += Velocity * dt;
        var q = accelerationStd * accelerationStd;
        var dt2 = dt * dt;
        var p00 = _p00 + (2 * dt * _p01) + (dt2 * _p11) + (q * dt2 * dt2 / 4);
        var p01 = _p01 + (dt * _p11) + (q * dt2 * dt / 2);
        var p11 = _p11 + (q * dt2);
        _p00 = p00;
        _p01 = p01;
        _p11 = p11;
    }

    public void Update(double measurement, double measurementStd)
    {
        var s = _p00 + (measurementStd * measurementStd);
        var k0 = _p00 / s;
        var k1 = _p01 / s;
        var innovation = measurement - Position;
        Position += k0 * innovation;
        Velocity += k1 * innovation;
        var p00 = (1 - k0) * _p00;
        var p01 = (1 - k0) * _p01;
        var p11 = _p11 - (k1 * _p01);
        _p00 = p00;
        _p01 = p01;
        _p11 = p11;
    }

    /// <summary>Stops the motion (a lost track's size should not keep growing or shrinking).</summary>
    public void Freeze() => Velocity = 0;
}
