namespace Sensen.Edge.Demo;

/// <summary>
/// The street scene's script on a 1280×720 base canvas over 12 s (scaled to the spec): a camera looking down
/// a one-way street, traffic driving away from it (the car photograph is a rear view). Left to right: a
/// pavement, a bus lane, a general lane, a kerb lane with a no-stopping zone, a pavement. One car drives up the
/// bus lane, one stops in the no-stopping zone for 6 s and drives off, two bystanders pass in the general lane;
/// two people walk along the pavements and one stands on the right-hand one. A signal head on the right-hand
/// pavement turns red from 4 s to 7 s; the bus-lane car crosses the stop line on red.
/// </summary>
internal static class SceneScript
{
    /// <summary>Base canvas.</summary>
    public const int BaseWidth = 1280;

    public const int BaseHeight = 720;

    public const double BaseSeconds = 12;

    /// <summary>The car: OpenCV's sample of a car seen from behind, with its (motion-blurred) plate.</summary>
    public const string CarPhoto = "licenseplate_motion.jpg";

    /// <summary>Four people standing, faces to the camera (face-api's demo photographs).</summary>
    public const string PeoplePhoto = "sample6.jpg";

    public const string GroupPhoto = "sample4.jpg";

    // Lanes on the base canvas (x ranges).
    public const int BusLaneLeft = 240;
    public const int BusLaneRight = 500;
    public const int GeneralLaneRight = 760;
    public const int KerbLaneRight = 1020;

    // The no-stopping zone's rows in the kerb lane.
    public const int NoStoppingTop = 200;
    public const int NoStoppingBottom = 560;

    public const string BusLaneRule = "bus-lane";
    public const string NoStoppingRule = "kerb-no-stopping";
    public const string RedLightRule = "red-light";

    /// <summary>The stop line across the bus and general lanes (row on the base canvas); traffic crosses it upwards.</summary>
    public const int StopLineY = 300;

    /// <summary>The signal head on the right-hand pavement: its red lamp's square (a lit disc inside) and the green one's below.</summary>
    public static readonly PixelBox RedLamp = new(1190, 24, 1226, 60);
    public static readonly PixelBox GreenLamp = new(1190, 72, 1226, 108);

    /// <summary>The signal is red from 4 s to 7 s of the base script, green otherwise.</summary>
    public const double RedFrom = 4.0;
    public const double RedTo = 7.0;

    /// <summary>The bus-lane rule's dwell and the no-stopping rule's, seconds of real time.</summary>
    public const double BusLaneDwell = 2;
    public const double NoStoppingDwell = 3;

    private const int CarWidth = 240;
    private const int CarHeight = 160;

    // The car photograph: the car fills 600×400 from row 10; its plate sits at about (228..358, 225..293).
    private static readonly PixelBox CarCrop = new(0, 10, 600, 410);
    private static readonly PixelBox CarPlate = new(220, 228, 366, 290);

    public static IReadOnlyList<SceneActor> Actors { get; } =
    [
        Car("car-bus-lane", SceneRole.Offender, "BX 4821", "", [new(0, BusLaneLeft + 10, 720), new(7.4, BusLaneLeft + 10, -170)]),
        Car("car-parked", SceneRole.Offender, "PK 3095", "hflip", [new(0, GeneralLaneRight + 10, 720), new(2.6, GeneralLaneRight + 10, 330), new(8.6, GeneralLaneRight + 10, 330), new(11.9, GeneralLaneRight + 10, -165)]),
        Car("car-passing-1", SceneRole.Bystander, "CT 7714", "eq=brightness=-0.12:saturation=0.5", [new(1.0, BusLaneRight + 10, 720), new(5.0, BusLaneRight + 10, -160)]),
        Car("car-passing-2", SceneRole.Bystander, "DM 2260", "hflip,eq=gamma=1.25:saturation=1.3", [new(6.0, BusLaneRight + 10, 720), new(10.0, BusLaneRight + 10, -160)]),

        // People: crops of the photographs at full resolution (1920 px wide), faces measured by eye.
        Person("person-walking-down", PeoplePhoto, new(610, 210, 1040, 1537), new(660, 320, 860, 610), 81, [new(0, 60, 20), new(BaseSeconds, 60, 440)]),
        Person("person-walking-up", PeoplePhoto, new(990, 160, 1440, 1537), new(1170, 300, 1380, 600), 82, [new(0, 1080, 190), new(BaseSeconds, 1080, 0)]),
        Person("person-standing", GroupPhoto, new(910, 100, 1320, 1448), new(980, 190, 1140, 410), 76, [new(0, 1170, 450), new(BaseSeconds, 1170, 450)]),
    ];

    /// <summary>The violations on the base script: when each began, and the rule's dwell on top.</summary>
    public static IReadOnlyList<ExpectedViolation> BaseViolations { get; } =
    [
        // The bus-lane car's wheels (bottom centre) enter the zone (it ends at 0.99 of the height) at
        // top = 712.8 − 160, 1.39 s into its 120.3 px/s drive.
        new(BusLaneRule, "bus_lane", "car-bus-lane", (720 - (0.99 * 720) + CarHeight) / (890 / 7.4), 0),
        new(NoStoppingRule, "no_stopping", "car-parked", 2.6, 0),

        // The same car's wheels cross the stop line (top = 300 − 160) at 4.82 s, 0.82 s into the red phase.
        // car-passing-1 crosses at 3.64 s on green, car-passing-2 at 8.64 s on green again.
        new(RedLightRule, "red_light", "car-bus-lane", (720 - (StopLineY - CarHeight)) / (890 / 7.4), 0),
    ];

    /// <summary>Whether the red lamp is lit at base-script time <paramref name="seconds"/>.</summary>
    public static bool IsRed(double seconds) => seconds >= RedFrom && seconds < RedTo;

    private static SceneActor Car(string id, SceneRole role, string plate, string look, SceneKeyframe[] path) => new(
        new SceneObject(id, "car", role, plate, $"{CarPhoto} crop {CarCrop}{(look.Length == 0 ? "" : $" {look}")}"),
        new SpriteRecipe(CarPhoto, CarCrop, CarWidth, CarHeight, look, CarPlate, plate, null),
        path);

    private static SceneActor Person(string id, string photo, PixelBox crop, PixelBox face, int width, SceneKeyframe[] path) => new(
        new SceneObject(id, "person", SceneRole.Pedestrian, null, $"{photo} crop {crop}"),
        new SpriteRecipe(photo, crop, width, 250, "", null, null, face),
        path);
}
