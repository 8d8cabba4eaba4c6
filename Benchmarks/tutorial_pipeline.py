#!/usr/bin/env python3
"""The kluster.ai "LLM as a judge" tutorial, step by step, as the baseline judgetop is measured against.

    tutorial_pipeline.py BASE_URL API_KEY ROWS_CSV WORK_DIR        (pip install openai pandas)

The steps are the tutorial's: read the CSV with pandas; write one JSONL request file per model; upload
it, create a batch and check its status every 5 seconds until it ends; read the output file and take
its answers in line order; build the judge's requests from the base answers and do the same; then the
three accuracies. They are printed as one JSON object. Nothing here is judgetop's: it is the reference.
"""
import json
import os
import sys
import time

import pandas as pd
from openai import OpenAI

BASE_MODEL = "klusterai/Meta-Llama-3.1-8B-Instruct-Turbo"
JUDGE_MODEL = "klusterai/Meta-Llama-3.3-70B-Instruct-Turbo"
GENRES = ("Action, Adventure, Animation, Biography, Comedy, Crime, Drama, Family, Fantasy, Film-Noir, History, "
          "Horror, Music, Musical, Mystery, Romance, Sci-Fi, Sport, Thriller, War, Western")

BASE_PROMPT = f"""
You are a helpful assistant who classifies movie genres based on the provided description. Choose one of the following options:
{GENRES}.
Provide your response as a single word with the matching genre. Don't include punctuation.
"""

JUDGE_PROMPT = """
You will receive a movie description, a list of possible genres, and a predicted movie genre made by another LLM (base model).
Your task is to evaluate whether the predicted genre is ‘correct’ or ‘incorrect’ based on the following steps and requirements.
Steps to Follow:
1. Carefully read the movie description.
2. Determine your own classification of the genre for the movie. Do not rely on the base model answer since it may be incorrect.
3. Do not rely on individual words to identify the genre; read the whole description to identify the genre.
4. Read the base model answer (enclosed in double quotes) and evaluate if it is correct by following the Evaluation Criteria below.
5. Provide your evaluation as 'correct' or 'incorrect'.
Evaluation Criteria:
- If the base model answer (enclosed in double quotes) does not align with the movie description, the evaluation should be ‘incorrect’.
- The first letter of the base model answer (enclosed in double quotes) must be capitalized (e.g., Drama). If it has any other capitalization, the evaluation should be ‘incorrect’.
- All other letters in the base model answer (enclosed in double quotes) must be lowercase. Otherwise, the evaluation should be ‘incorrect’.
- If the base model answer consists of multiple words, the evaluation should be ‘incorrect’.
- If the base model answer includes punctuation, spaces, or additional characters, the evaluation should be ‘incorrect’.
- If the base model answer (enclosed in double quotes) is not one of the provided genres, the evaluation should be ‘incorrect’.
- If it is not listed, the evaluation should be ‘incorrect’.
Output Rules:
- Provide your genre prediction and evaluation without additional text, punctuation, or explanation.
- The output must be: the genre prediction and the evaluation. The first letter uppercase and all other letters lowercase.
Final Answer Format:
Prediction,Evaluation
Example:
Drama,Correct
"""


def request_line(index, model, system, user):
    """One line of a batch input file, as the tutorial's create_batch_file builds it."""
    return {"custom_id": f"{model}-{index}-analysis", "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": model, "temperature": 0.5,
                     "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}]}}


def write_requests(lines, name, work_dir):
    path = os.path.join(work_dir, f"batch_job_{name}_request.jsonl")
    with open(path, "w") as out:
        out.writelines(json.dumps(line) + "\n" for line in lines)
    return path


def answers_of_batch(client, path):
    """Upload, create, watch until the batch ends, then the answers in the output file's line order."""
    with open(path, "rb") as data:
        uploaded = client.files.create(file=data, purpose="batch")
    batch = client.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h")
    while True:
        batch = client.batches.retrieve(batch.id)
        if batch.status in ("completed", "failed", "cancelled", "expired"):
            break
        time.sleep(5)
    text = client.files.content(batch.output_file_id).content.decode("utf-8")
    answers = []
    for line in text.strip().split("\n"):
        try:
            answers.append(json.loads(line)["response"]["body"]["choices"][0]["message"]["content"])
        except (KeyError, IndexError, json.JSONDecodeError):
            pass
    return answers


def main():
    base_url, api_key, rows_csv, work_dir = sys.argv[1:5]
    os.makedirs(work_dir, exist_ok=True)
    client = OpenAI(base_url=base_url, api_key=api_key)
    started = time.time()
    df = pd.read_csv(rows_csv, usecols=["Series_Title", "Overview", "Genre"])

    base_lines = [request_line(i, BASE_MODEL, BASE_PROMPT, row["Overview"]) for i, row in df.iterrows()]
    df["Predicted_Genre_Base_Model"] = answers_of_batch(client, write_requests(base_lines, "base", work_dir))

    judge_lines = [request_line(i, JUDGE_MODEL, JUDGE_PROMPT,
                                f"\nMovie Description: {row['Overview']}.\nAvailable Genres: {GENRES}\n"
                                f"Base model answer: \"{row['Predicted_Genre_Base_Model']}\"\n")
                   for i, row in df.iterrows()]
    df["Judge_Prediction_Evaluation"] = answers_of_batch(client, write_requests(judge_lines, "judge", work_dir))

    verdict = df["Judge_Prediction_Evaluation"].str.split(",").str[1].str.strip()
    judge_genre = df["Judge_Prediction_Evaluation"].str.split(",").str[0].str.strip()
    true_genres = df["Genre"].str.split(",").apply(lambda genres: [g.strip() for g in genres])
    print(json.dumps({
        "judge_determined": float((verdict.str.lower() == "correct").mean()),
        "base_vs_truth": float(pd.Series([a in t for a, t in zip(df["Predicted_Genre_Base_Model"], true_genres)]).mean()),
        "judge_vs_truth": float(pd.Series([a in t for a, t in zip(judge_genre, true_genres)]).mean()),
        "seconds": time.time() - started,
    }))


if __name__ == "__main__":
    main()
