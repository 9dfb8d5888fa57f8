namespace Sensen.Edge.Detection;

/// <summary>How a model's output tensor is laid out, and so which decoder reads it.</summary>
internal enum ModelFormat
{
    /// <summary>YOLOv8 / YOLO11 detect head: <c>[1, 4+C, N]</c>, centre-size boxes in input pixels, no objectness.</summary>
    Yolov8,

    /// <summary>YOLOv5 / YOLOv7 head: <c>[1, N, 5+C]</c>, centre-size boxes in input pixels, objectness times class score.</summary>
    Yolov5,

    /// <summary>TinyYOLOv2 grid: <c>[1, A*(5+C), H/32, W/32]</c>, raw logits decoded with anchors.</summary>
    TinyYolov2,

    /// <summary>DBNet text detection (PP-OCR): <c>[1, 1, H, W]</c> probability map.</summary>
    Dbnet,

    /// <summary>CenterNet: heatmap <c>[1, H, W, C]</c> (sigmoid) and box extents <c>[1, H, W, 4]</c> (left, top, right, bottom in input pixels).</summary>
    Centernet,

    /// <summary>BlazeFace (MediaPipe SSD): per anchor layer group a score <c>[1, N, 1]</c> and a regressor <c>[1, N, 4+2K]</c> output.</summary>
    Blazeface,

    /// <summary>CTC text recogniser (PP-OCR rec): <c>[1, T, K]</c> per-step class probabilities.</summary>
    CtcRecognizer,
}
